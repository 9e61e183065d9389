// Micro-benchmarks of the sparse × dense kernels (Inference/CsrKernel.cs,
// Inference/NmKernel.cs) on one 1024×1024 weight: CSR across sparsities and
// batch sizes, and 2:4 against CSR holding the same 2:4 weight. End-to-end
// comparisons with libtorch are `sparselab bench spmm` (bench/spmm-sweep.sh).
using BenchmarkDotNet.Attributes;
using SparseLab.Inference;

namespace SparseLab.Benchmarks;

[MemoryDiagnoser]
public class SpmmKernels
{
    private const int Size = 1024;
    private CsrMatrix _csr = null!, _twoFourCsr = null!;
    private NmMatrix _twoFour = null!;
    private float[] _x = [], _y = [];

    [Params(0.5, 0.9, 0.95, 0.99)]
    public double Sparsity { get; set; }

    [Params(1, 64, 256)]
    public int Batch { get; set; }

    [Params(1, 2)]
    public int Threads { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var rng = new Random(0);
        _csr = CsrMatrix.FromDense(SpmmBenchmark.RandomSparse(Size, Size, Sparsity, rng), Size, Size);
        var twoFour = new float[Size * Size];
        for (int g = 0; g < twoFour.Length; g += 4)
        {
            int a = rng.Next(4), b = (a + 1 + rng.Next(3)) % 4;
            twoFour[g + a] = (float)rng.NextDouble() + 0.1f;
            twoFour[g + b] = (float)rng.NextDouble() + 0.1f;
        }
        _twoFour = NmMatrix.TryFromDense(twoFour, Size, Size)!;
        _twoFourCsr = CsrMatrix.FromDense(twoFour, Size, Size);
        _x = new float[Size * Batch];
        for (int i = 0; i < _x.Length; i++) _x[i] = (float)rng.NextDouble() - 0.5f;
        _y = new float[Size * Batch];
    }

    [Benchmark(Baseline = true)]
    public void Csr() => _csr.Multiply(_x, Batch, _y, default, relu: false, Threads);

    /// <summary>The 2:4 weight (sparsity 0.5 whatever the Sparsity parameter) in its own layout.</summary>
    [Benchmark]
    public void TwoFour() => _twoFour.Multiply(_x, Batch, _y, default, relu: false, Threads);

    /// <summary>The same 2:4 weight stored as CSR.</summary>
    [Benchmark]
    public void TwoFourAsCsr() => _twoFourCsr.Multiply(_x, Batch, _y, default, relu: false, Threads);
}
