// `sparselab bench spmm`: our sparse × dense kernel against libtorch dense and
// sparse matrix products on the same random data; one JSON line per sparsity.
using System.Text.Json;
using SparseLab.Cli.Options;
using SparseLab.Foundations;
using SparseLab.Inference;

namespace SparseLab.Cli.Commands;

public sealed class BenchSpmmCommand : CliCommand<BenchSpmmCommand.Options>
{
    public sealed record Options
    {
        [Option("Weight rows (outputs).")]
        public int Rows { get; init; } = 4096;

        [Option("Weight columns (inputs).")]
        public int Cols { get; init; } = 4096;

        [Option("Activation columns.")]
        public int Batch { get; init; } = 64;

        [Option("Fractions of zeros in [0, 1), comma-separated.", Value = "LIST")]
        public double[] Sparsities { get; init; } = [0.5, 0.7, 0.9, 0.95, 0.99];

        [Option("csr, or nm: a random 2:4 weight (sparsity 0.5 only).", OneOf = typeof(BenchSpmmCommand))]
        public string Layout { get; init; } = "csr";

        [Option("Threads for ours and libtorch alike (0: all cores).")]
        public int Threads { get; init; }

        [Option("Seed of the random weights and activations.")]
        public int Seed { get; init; }
    }

    public static NameSet Names { get; } = new("csr", "nm");

    public override string Path => "bench spmm";
    public override string Description => "Sparse weight x dense activations: our kernel vs libtorch dense and sparse mm on the same data; one JSON line per sparsity.";
    public override IReadOnlyList<string> Examples => ["bench spmm --rows 4096 --cols 4096 --batch 64 --sparsities 0.7,0.9,0.95"];
    protected override Options Defaults => new();

    protected override int Execute(Bound<Options> bound)
    {
        var s = bound.Value;
        string F(string field) => ConfigError.Field(field);
        Check.Positive(s.Rows, nameof(Options.Rows));
        Check.Positive(s.Cols, nameof(Options.Cols));
        Check.Positive(s.Batch, nameof(Options.Batch));
        Check.That((long)s.Rows * s.Cols <= Array.MaxLength && (long)s.Cols * s.Batch <= Array.MaxLength,
            $"{F(nameof(Options.Rows))} {s.Rows} x {F(nameof(Options.Cols))} {s.Cols} (or {F(nameof(Options.Cols))} x {F(nameof(Options.Batch))}) is too large for one array");
        foreach (double x in s.Sparsities) Check.Fraction(x, nameof(Options.Sparsities));
        Check.That(s.Layout != "nm" || s.Sparsities.All(x => x == 0.5), $"{F(nameof(Options.Layout))} nm benchmarks 2:4 weights, whose sparsity is 0.5; pass {F(nameof(Options.Sparsities))} 0.5");
        Check.That(s.Layout != "nm" || s.Cols % 4 == 0, $"{F(nameof(Options.Layout))} nm needs {F(nameof(Options.Cols))} divisible by 4, not {s.Cols}");
        Check.NotNegative(s.Threads, nameof(Options.Threads));
        int threads = TorchRuntime.SetThreads(s.Threads, Console.Error.WriteLine);
        foreach (double sparsity in s.Sparsities)
        {
            var c = SpmmBenchmark.Measure(s.Rows, s.Cols, s.Batch, sparsity, threads, s.Layout, s.Seed);
            Console.WriteLine(JsonSerializer.Serialize(new
            {
                layout = c.Layout, sparsity = c.Sparsity, rows = c.Rows, cols = c.Cols, batch = c.Batch, threads = c.Threads, nnz = c.Nonzeros,
                ours_ms = Math.Round(c.OursMs, 4), dense_ms = Math.Round(c.DenseMs, 4), torch_sparse_ms = Math.Round(c.TorchSparseMs, 4),
                gflops = Math.Round(c.Gflops, 2), speedup_vs_dense = Math.Round(c.SpeedupVsDense, 3),
                speedup_vs_torch_sparse = Math.Round(c.SpeedupVsTorchSparse, 3), max_rel_err = c.MaxRelError,
                torch_sparse = "coo", isa = Isa,
            }));
        }
        return 0;
    }

    private static string Isa =>
        System.Runtime.Intrinsics.Vector512.IsHardwareAccelerated ? "avx512"
        : System.Runtime.Intrinsics.X86.Fma.IsSupported ? "avx+fma" : "scalar";
}
