// A compressed sparse row (CSR) weight: for row i, the nonzeros are
// Values[RowPtr[i] .. RowPtr[i+1]) at columns ColIdx[same range]. Construction
// checks the structure completely (row pointers start at 0, never decrease,
// end at nnz; every column index is inside the matrix), so the kernels can
// index without bounds checks and never read outside their buffers.
using SparseLab.Foundations;

namespace SparseLab.Inference;

public sealed class CsrMatrix : ISparseWeight
{
    private CsrMatrix(int rows, int cols, int[] rowPtr, int[] colIdx, float[] values)
        => (Rows, Cols, RowPtr, ColIdx, Values) = (rows, cols, rowPtr, colIdx, values);

    public int Rows { get; }
    public int Cols { get; }
    public int[] RowPtr { get; }
    public int[] ColIdx { get; }
    public float[] Values { get; }
    public long Stored => Values.Length;
    public string Layout => "csr";

    /// <summary>Checks the arrays as a CSR matrix of rows × cols; DataException naming <paramref name="source"/> when they are not one.</summary>
    public static CsrMatrix Create(int rows, int cols, int[] rowPtr, int[] colIdx, float[] values, string source)
    {
        if (colIdx.Length != values.Length) throw new DataException($"{source}: col_idx has {colIdx.Length} entries but values has {values.Length}");
        CheckStructure(rows, cols, rowPtr, colIdx, source);
        return new CsrMatrix(rows, cols, rowPtr, colIdx, values);
    }

    /// <summary>
    /// Checks row pointers and column indices as the structure of a rows × cols CSR matrix storing colIdx.Length
    /// weights (start at 0, never decrease, end at the count; every column inside the matrix); DataException naming
    /// <paramref name="source"/> when they are not one. Every kernel's structure passes here before its first product.
    /// </summary>
    public static void CheckStructure(int rows, int cols, ReadOnlySpan<int> rowPtr, ReadOnlySpan<int> colIdx, string source)
    {
        DataException Bad(string what) => new($"{source}: {what}");
        if (rows < 1 || cols < 1) throw Bad($"shape {rows}x{cols} is not a matrix");
        if (rowPtr.Length != rows + 1) throw Bad($"row_ptr has {rowPtr.Length} entries; {rows} rows need {rows + 1}");
        if (rowPtr[0] != 0) throw Bad($"row_ptr starts at {rowPtr[0]}, not 0");
        if (rowPtr[rows] != colIdx.Length) throw Bad($"row_ptr ends at {rowPtr[rows]}, but there are {colIdx.Length} nonzeros");
        for (int i = 0; i < rows; i++)
            if (rowPtr[i + 1] < rowPtr[i]) throw Bad($"row_ptr is not monotone: row {i} starts at {rowPtr[i]} and ends at {rowPtr[i + 1]}");
        for (int k = 0; k < colIdx.Length; k++)
            if ((uint)colIdx[k] >= (uint)cols) throw Bad($"col_idx[{k}] = {colIdx[k]} is outside the {cols} columns");
    }

    /// <summary>The nonzeros of a dense row-major (rows × cols) array; with keepZeros every entry is stored (a dense layer run by the same kernel).</summary>
    public static CsrMatrix FromDense(ReadOnlySpan<float> dense, int rows, int cols, bool keepZeros = false)
    {
        if (dense.Length != (long)rows * cols) throw new ArgumentException($"{dense.Length} values do not make a {rows}x{cols} matrix", nameof(dense));
        var rowPtr = new int[rows + 1];
        var colIdx = new List<int>();
        var values = new List<float>();
        for (int i = 0; i < rows; i++)
        {
            for (int j = 0; j < cols; j++)
            {
                float v = dense[i * cols + j];
                if (v == 0 && !keepZeros) continue;
                colIdx.Add(j);
                values.Add(v);
            }
            rowPtr[i + 1] = values.Count;
        }
        return new CsrMatrix(rows, cols, rowPtr, [.. colIdx], [.. values]);
    }

    public void Multiply(ReadOnlySpan<float> x, int n, Span<float> y, ReadOnlySpan<float> bias, bool relu, int threads) =>
        CsrKernel.Multiply(this, x, n, y, bias, relu, threads);

    public float[] ToDense()
    {
        var d = new float[(long)Rows * Cols];
        for (int i = 0; i < Rows; i++)
            for (int k = RowPtr[i]; k < RowPtr[i + 1]; k++) d[i * Cols + ColIdx[k]] = Values[k];
        return d;
    }
}
