// `sparselab infer`: runs a sparse model file (export --format sparse) over a
// dataset's test set with the C# engine and prints its accuracy and speed.
using SparseLab.Cli.Options;
using SparseLab.Data;
using SparseLab.Foundations;
using SparseLab.Inference;

namespace SparseLab.Cli.Commands;

public sealed class InferCommand : CliCommand<InferCommand.Options>
{
    public sealed record Options
    {
        [Option("Sparse model file written by export --format sparse.", Value = "FILE", IsPath = true)]
        public string? ModelFile { get; init; }

        [Option("Dataset whose test set to run (default: the one the model was trained on).", OneOf = typeof(DatasetCatalog))]
        public string? Dataset { get; init; }

        [Option("Folder with the dataset's files (default: $SPARSELAB_DATA/<name>, then /usr/share/datasets/<name>).", Value = "DIR")]
        public string? DataDir { get; init; }

        [Option("Examples per forward pass.")]
        public int BatchSize { get; init; } = 256;

        [Option("Use the first N test examples.")]
        public long? LimitTest { get; init; }

        [Option("CPU threads (0: all cores).")]
        public int Threads { get; init; }
    }

    public override string Path => "infer";
    public override string Description => "Run a sparse model file on a test set with the C# sparse engine (no libtorch); prints accuracy and throughput.";
    public override IReadOnlyList<string> Examples => ["infer --model-file lenet5.sparse.safetensors --dataset fashion-mnist"];
    protected override Options Defaults => new();

    protected override int Execute(Bound<Options> bound)
    {
        var s = bound.Value;
        Check.That(s.ModelFile is not null, nameof(Options.ModelFile), "is required: a file written by `sparselab export --format sparse`");
        Check.Positive(s.BatchSize, nameof(Options.BatchSize));
        Check.NotNegative(s.Threads, nameof(Options.Threads));
        Check.That(File.Exists(s.ModelFile), nameof(Options.ModelFile), $"'{s.ModelFile}' does not exist");
        var net = SparseNetwork.Load(s.ModelFile!);   // checked completely before any data is read
        int threads = s.Threads > 0 ? Math.Min(s.Threads, Environment.ProcessorCount) : Environment.ProcessorCount;
        using var splits = DatasetCatalog.Load(new DataOptions(s.Dataset ?? net.Info.Dataset, s.DataDir, LimitTest: s.LimitTest));
        var r = InferenceRunner.Evaluate(net, splits.Test, s.BatchSize, threads);
        Console.WriteLine($"accuracy: {r.Accuracy:R}");
        Console.WriteLine($"throughput: {r.ImagesPerSecond:F0} images/s ({r.Count} images in {r.Seconds:F3} s, batch {r.BatchSize}, threads {r.Threads}, no libtorch)");
        return 0;
    }
}
