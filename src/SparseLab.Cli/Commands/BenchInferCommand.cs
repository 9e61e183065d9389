// `sparselab bench infer`: forward time of a sparse model file with our engine
// against libtorch's dense forward of the same weights; one JSON line per batch size.
using System.ComponentModel;
using System.Text.Json;
using SparseLab.Foundations;
using SparseLab.Inference;
using Spectre.Console.Cli;

namespace SparseLab.Cli.Commands;

public sealed class BenchInferCommand : Command<BenchInferCommand.Settings>
{
    public sealed class Settings : CommandSettings
    {
        [CommandOption("--model-file <FILE>")] [Description("Sparse model file written by export --format sparse.")]
        public string? ModelFile { get; init; }
        [CommandOption("--batch-sizes <LIST>")] [Description("Comma-separated batch sizes (default 1,64,256).")]
        public string BatchSizes { get; init; } = "1,64,256";
        [CommandOption("--threads <N>")] [Description("Threads for ours and libtorch alike (default: all cores).")]
        public int Threads { get; init; }
    }

    public override int Execute(CommandContext context, Settings s, CancellationToken cancellationToken)
    {
        if (s.ModelFile is null) throw new InvalidOptionException("--model-file is required: a file written by `sparselab export --format sparse`");
        if (!File.Exists(s.ModelFile)) throw new InvalidOptionException($"--model-file '{s.ModelFile}' does not exist");
        var batches = s.BatchSizes.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            .Select(b => int.TryParse(b, out int v) && v >= 1 ? v : throw new InvalidOptionException($"--batch-sizes: '{b}' is not a positive integer")).ToArray();
        if (batches.Length == 0) throw new InvalidOptionException("--batch-sizes is empty");
        if (s.Threads < 0) throw new InvalidOptionException($"--threads {s.Threads}: must be 0 (all cores) or more");
        var net = SparseNetwork.Load(s.ModelFile);
        int threads = TorchRuntime.SetThreads(s.Threads);
        foreach (int batch in batches)
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
