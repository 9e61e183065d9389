// `sparselab infer`: runs a sparse model file (export --format sparse) over a
// dataset's test set with the C# engine and prints its accuracy and speed.
using System.ComponentModel;
using SparseLab.Data;
using SparseLab.Foundations;
using SparseLab.Inference;
using Spectre.Console.Cli;

namespace SparseLab.Cli.Commands;

public sealed class InferCommand : Command<InferCommand.Settings>
{
    public sealed class Settings : CommandSettings
    {
        [CommandOption("--model-file <FILE>")] [Description("Sparse model file written by export --format sparse.")]
        public string? ModelFile { get; init; }
        [CommandOption("--dataset <NAME>")] [Description("Dataset whose test set to run (default: the one the model was trained on).")]
        public string? Dataset { get; init; }
        [CommandOption("--data-dir <DIR>")] [Description("Folder with the dataset's files (default: $SPARSELAB_DATA/<name>, then /usr/share/datasets/<name>).")]
        public string? DataDir { get; init; }
        [CommandOption("--batch-size <N>")] [Description("Examples per forward pass (default 256).")]
        public int BatchSize { get; init; } = 256;
        [CommandOption("--limit-test <N>")] [Description("Use the first N test examples.")]
        public long? LimitTest { get; init; }
        [CommandOption("--threads <N>")] [Description("CPU threads (default: all cores).")]
        public int Threads { get; init; }
    }

    public override int Execute(CommandContext context, Settings s, CancellationToken cancellationToken)
    {
        if (s.ModelFile is null) throw new InvalidOptionException("--model-file is required: a file written by `sparselab export --format sparse`");
        if (s.BatchSize < 1) throw new InvalidOptionException($"--batch-size {s.BatchSize}: must be at least 1");
        if (s.Threads < 0) throw new InvalidOptionException($"--threads {s.Threads}: must be 0 (all cores) or more");
        if (!File.Exists(s.ModelFile)) throw new InvalidOptionException($"--model-file '{s.ModelFile}' does not exist");
        var net = SparseNetwork.Load(s.ModelFile);   // checked completely before any data is read
        int threads = s.Threads > 0 ? s.Threads : Environment.ProcessorCount;
        using var splits = DatasetCatalog.Load(new DataOptions(s.Dataset ?? net.Info.Dataset, s.DataDir, LimitTest: s.LimitTest));
        var r = InferenceRunner.Evaluate(net, splits.Test, s.BatchSize, threads);
        Console.WriteLine($"accuracy: {r.Accuracy:R}");
        Console.WriteLine($"throughput: {r.ImagesPerSecond:F0} images/s ({r.Count} images in {r.Seconds:F3} s, batch {r.BatchSize}, threads {r.Threads}, no libtorch)");
        return 0;
    }
}
