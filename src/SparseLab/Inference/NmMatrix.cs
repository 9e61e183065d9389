// An N:M structured sparse weight (Mishra et al. 2021, "Accelerating Sparse
// Deep Neural Networks": the 2:4 pattern): every group of M consecutive
// inputs of a row keeps exactly N slots, stored as N values and N one-byte
// offsets inside the group. A group with fewer than N nonzeros pads with
// zeros. No row pointers are needed: every row has Cols / M * N slots, so rows
// split evenly across threads and the indices take a quarter of CSR's.
using SparseLab.Foundations;

namespace SparseLab.Inference;

public sealed class NmMatrix : ISparseWeight
{
    private NmMatrix(int rows, int cols, int n, int m, float[] values, byte[] offsets)
        => (Rows, Cols, N, M, Values, Offsets) = (rows, cols, n, m, values, offsets);

    public int Rows { get; }
    public int Cols { get; }
    public int N { get; }
    public int M { get; }
    /// <summary>(Rows, Cols / M * N) row-major.</summary>
    public float[] Values { get; }
    /// <summary>Offsets inside each group, same shape as Values; strictly increasing within a group.</summary>
    public byte[] Offsets { get; }
    public int SlotsPerRow => Cols / M * N;
    public long Stored => Values.Length;
    public string Layout => "nm";

    public static NmMatrix Create(int rows, int cols, int n, int m, float[] values, byte[] offsets, string source)
    {
        DataException Bad(string what) => new($"{source}: {what}");
        if (rows < 1 || cols < 1) throw Bad($"shape {rows}x{cols} is not a matrix");
        if (n < 1 || m > 255 || n >= m) throw Bad($"N:M = {n}:{m} is not valid; need 0 < N < M <= 255");
        if (cols % m != 0) throw Bad($"{cols} columns are not a whole number of groups of {m}");
        long slots = (long)rows * (cols / m) * n;
        if (values.Length != slots || offsets.Length != slots)
            throw Bad($"values has {values.Length} and offsets {offsets.Length} entries; {rows}x{cols} at {n}:{m} needs {slots}");
        for (long s = 0; s < slots; s++)
        {
            int j = (int)(s % n);
            if (offsets[s] >= m) throw Bad($"offset {offsets[s]} at slot {s} is outside its group of {m}");
            if (j > 0 && offsets[s] <= offsets[s - 1]) throw Bad($"offsets at slot {s} do not increase inside their group");
        }
        return new NmMatrix(rows, cols, n, m, values, offsets);
    }

    /// <summary>The N:M layout of a dense (rows × cols) array, or null when some group holds more than N nonzeros or cols is not a multiple of M.</summary>
    public static NmMatrix? TryFromDense(ReadOnlySpan<float> dense, int rows, int cols, int n = 2, int m = 4)
    {
        if (cols % m != 0) return null;
        int groups = cols / m;
        var values = new float[(long)rows * groups * n];
        var offsets = new byte[values.Length];
        long s = 0;
        for (int i = 0; i < rows; i++)
            for (int g = 0; g < groups; g++)
            {
                var group = dense.Slice(i * cols + g * m, m);
                int kept = 0;
                for (int o = 0; o < m; o++)
                {
                    if (group[o] == 0) continue;
                    if (kept == n) return null;
                    values[s + kept] = group[o];
                    offsets[s + kept] = (byte)o;
                    kept++;
                }
                // Pad with zero weights at unused offsets, keeping offsets increasing.
                for (int o = 0; kept < n; o++)
                {
                    bool used = false;
                    for (int q = 0; q < kept; q++) used |= offsets[s + q] == o;
                    if (used) continue;
                    int at = kept;
                    while (at > 0 && offsets[s + at - 1] > o) { offsets[s + at] = offsets[s + at - 1]; values[s + at] = values[s + at - 1]; at--; }
                    offsets[s + at] = (byte)o;
                    values[s + at] = 0;
                    kept++;
                }
                s += n;
            }
        return new NmMatrix(rows, cols, n, m, values, offsets);
    }

    public void Multiply(ReadOnlySpan<float> x, int n, Span<float> y, ReadOnlySpan<float> bias, bool relu, int threads) =>
        NmKernel.Multiply(this, x, n, y, bias, relu, threads);

    public float[] ToDense()
    {
        var d = new float[(long)Rows * Cols];
        int slots = SlotsPerRow;
        for (int i = 0; i < Rows; i++)
            for (int s = 0; s < slots; s++)
                d[i * Cols + s / N * M + Offsets[i * slots + s]] += Values[i * slots + s];
        return d;
    }
}
