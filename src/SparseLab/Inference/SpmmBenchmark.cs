// One case of `bench spmm`: a random sparse weight (fixed seed) times random
// activations, timed with our kernel, libtorch's dense torch.mm and
// libtorch's sparse mm on the same data in the same process. TorchSharp
// 0.107 exposes only COO sparse tensors (no CSR constructor), so the libtorch
// sparse baseline is torch.mm on a coalesced COO weight. Our result must match
// the dense product to 1e-5 relative (max |difference| / max |reference|).
using SparseLab.Foundations;
using TorchSharp;
using static TorchSharp.torch;

namespace SparseLab.Inference;

public sealed record SpmmCase(
    string Layout, double Sparsity, int Rows, int Cols, int Batch, int Threads, long Nonzeros,
    double OursMs, double DenseMs, double TorchSparseMs, double MaxRelError)
{
    public double Gflops => 2.0 * Nonzeros * Batch / (OursMs * 1e6);
    public double SpeedupVsDense => DenseMs / OursMs;
    public double SpeedupVsTorchSparse => TorchSparseMs / OursMs;
}

public static class SpmmBenchmark
{
    public const double Tolerance = 1e-5;

    /// <summary>
    /// The case's random numbers: the same in every process for the same --seed and shape (System.Random(int) is; HashCode,
    /// which seeded it before, is randomized per process, so --seed did not reproduce).
    /// </summary>
    internal static Random Generator(int seed, int rows, int cols, double sparsity) =>
        new((int)(Data.SeedMix.Mix(seed, rows, cols, BitConverter.DoubleToInt64Bits(sparsity)) & int.MaxValue));

    /// <param name="layout">csr, or nm for a random 2:4 weight (sparsity must then be 0.5).</param>
    public static SpmmCase Measure(int rows, int cols, int batch, double sparsity, int threads, string layout = "csr", int seed = 0)
    {
        var rng = Generator(seed, rows, cols, sparsity);
        float[] dense = layout == "nm" ? RandomTwoFour(rows, cols, rng) : RandomSparse(rows, cols, sparsity, rng);
        var x = new float[(long)cols * batch];
        for (long i = 0; i < x.Length; i++) x[i] = (float)(rng.NextDouble() * 2 - 1);
        ISparseWeight w = layout == "nm"
            ? NmMatrix.TryFromDense(dense, rows, cols) ?? throw new ConfigError($"{ConfigError.Field("Layout")} nm needs {ConfigError.Field("Cols")} divisible by 4, not {cols}")
            : CsrMatrix.FromDense(dense, rows, cols);
        long nnz = dense.LongCount(v => v != 0);
        var y = new float[(long)rows * batch];

        double ours = Timing.MedianMs(() => w.Multiply(x, batch, y, default, relu: false, threads));
        using var noGrad = torch.no_grad();
        using var wt = torch.tensor(dense, [rows, cols]);
        using var xt = torch.tensor(x, [cols, batch]);
        using var wsp = wt.to_sparse();   // COO, coalesced by construction
        double denseMs = Timing.MedianMs(() => { using var r = torch.mm(wt, xt); });
        double sparseMs = Timing.MedianMs(() => { using var r = torch.mm(wsp, xt); });

        using var reference = torch.mm(wt, xt);
        float[] expected = reference.data<float>().ToArray();
        double maxDiff = 0, maxRef = 0;
        for (long i = 0; i < expected.Length; i++)
        {
            maxDiff = Math.Max(maxDiff, Math.Abs(expected[i] - y[i]));
            maxRef = Math.Max(maxRef, Math.Abs(expected[i]));
        }
        double rel = maxRef == 0 ? maxDiff : maxDiff / maxRef;
        if (!(rel <= Tolerance))
            throw new SparseLabException($"bench spmm: our product differs from torch.mm by {rel:E2} relative ({rows}x{cols}, batch {batch}, sparsity {sparsity}); the tolerance is {Tolerance:E0}");
        return new SpmmCase(layout, sparsity, rows, cols, batch, threads, nnz, ours, denseMs, sparseMs, rel);
    }

    // Each entry kept with probability 1 − sparsity, values uniform in [−1, 1] \ {0}.
    public static float[] RandomSparse(int rows, int cols, double sparsity, Random rng)
    {
        var d = new float[(long)rows * cols];
        for (long i = 0; i < d.Length; i++)
            if (rng.NextDouble() >= sparsity) d[i] = NonZero(rng);
        return d;
    }

    // Two random positions of every four consecutive inputs.
    private static float[] RandomTwoFour(int rows, int cols, Random rng)
    {
        var d = new float[(long)rows * cols];
        for (long g = 0; g + 4 <= d.Length; g += 4)
        {
            int a = rng.Next(4), b = (a + 1 + rng.Next(3)) % 4;
            d[g + a] = NonZero(rng);
            d[g + b] = NonZero(rng);
        }
        return d;
    }

    private static float NonZero(Random rng)
    {
        float v = (float)(rng.NextDouble() * 2 - 1);
        return v == 0 ? 0.5f : v;
    }
}
