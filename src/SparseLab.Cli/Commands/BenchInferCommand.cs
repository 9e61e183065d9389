// `sparselab bench infer`: forward time of a sparse model file with our engine
// against libtorch's dense forward of the same weights; one JSON line per batch size.
using System.Text.Json;
using SparseLab.Cli.Options;
using SparseLab.Foundations;
using SparseLab.Inference;

namespace SparseLab.Cli.Commands;

public sealed class BenchInferCommand : CliCommand<BenchInferCommand.Options>
{
    public sealed record Options
    {
        [Option("Sparse model file written by export --format sparse.", Value = "FILE", IsPath = true)]
        public string? ModelFile { get; init; }

        [Option("Batch sizes, comma-separated.", Value = "LIST")]
        public int[] BatchSizes { get; init; } = [1, 64, 256];

        [Option("Threads for ours and libtorch alike (0: all cores).")]
        public int Threads { get; init; }
    }

    public override string Path => "bench infer";
    public override string Description => "Forward time of a sparse model file: our engine vs libtorch's dense forward of the same weights; one JSON line per batch size.";
    protected override Options Defaults => new();

    protected override int Execute(Bound<Options> bound)
    {
        var s = bound.Value;
        Check.That(s.ModelFile is not null, nameof(Options.ModelFile), "is required: a file written by `sparselab export --format sparse`");
        Check.That(File.Exists(s.ModelFile), nameof(Options.ModelFile), $"'{s.ModelFile}' does not exist");
        foreach (int b in s.BatchSizes) Check.Positive(b, nameof(Options.BatchSizes));
        Check.NotNegative(s.Threads, nameof(Options.Threads));
        var net = SparseNetwork.Load(s.ModelFile!);
        int threads = TorchRuntime.SetThreads(s.Threads, Console.Error.WriteLine);
        foreach (int batch in s.BatchSizes)
        {
            var c = InferBenchmark.Measure(net, batch, threads);
            Console.WriteLine(JsonSerializer.Serialize(new
            {
                model = c.Model, width = c.Width, batch = c.Batch, threads = c.Threads, sparsity = Math.Round(c.Sparsity, 4),
                stored_weights = c.Stored, dense_weights = c.Dense, ours_ms = Math.Round(c.OursMs, 4), torch_dense_ms = Math.Round(c.TorchDenseMs, 4),
                speedup_vs_dense = Math.Round(c.Speedup, 3), max_rel_err = c.MaxRelError,
            }));
        }
        return 0;
    }
}
