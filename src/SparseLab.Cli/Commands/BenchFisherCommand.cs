// `sparselab bench fisher`: the cost of measuring Fisher information — the
// fast per-example path, the naive one-backward-per-example loop, and a plain
// training pass (forward + backward) over the same N examples.
using System.Diagnostics;
using System.Text.Json;
using SparseLab.Cli.Options;
using SparseLab.Data;
using SparseLab.Foundations;
using SparseLab.Information;
using SparseLab.Models;
using SparseLab.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace SparseLab.Cli.Commands;

public sealed class BenchFisherCommand : CliCommand<BenchFisherCommand.Options>
{
    public sealed record Options
    {
        [Option("The model.", OneOf = typeof(ModelRegistry))]
        public string Model { get; init; } = "lenet5";

        [Option("Examples.")]
        public int Samples { get; init; } = 1024;

        [Option("Batch size.")]
        public int BatchSize { get; init; } = 128;

        [Option("Do not time the naive loop (slow on big models).")]
        public bool SkipNaive { get; init; }

        [Option("CPU threads (0: all cores).")]
        public int Threads { get; init; }
    }

    public override string Path => "bench fisher";
    public override string Description => "Seconds for the fast Fisher trace, the naive loop and a training pass over the same examples; one JSON line.";
    protected override Options Defaults => new();

    protected override int Execute(Bound<Options> bound)
    {
        var s = bound.Value;
        Check.Positive(s.Samples, nameof(Options.Samples));
        Check.Positive(s.BatchSize, nameof(Options.BatchSize));
        Check.NotNegative(s.Threads, nameof(Options.Threads));
        int threads = TorchRuntime.SetThreads(s.Threads, Console.Error.WriteLine);
        var shape = TrainThroughput.InputFor(s.Model);
        torch.manual_seed(0);
        using var model = ModelRegistry.Create(new ModelSpec(s.Model, shape.Channels, shape.Height, shape.Width, shape.NumClasses));
        var gen = new torch.Generator(0);
        using var data = new Dataset("random",
            torch.randint(0, 256, [s.Samples, shape.Channels, shape.Height, shape.Width], dtype: ScalarType.Byte, generator: gen),
            torch.randint(0, shape.NumClasses, [s.Samples], generator: gen), shape.NumClasses);
        var info = new DatasetInfo("random", shape.Channels, shape.Height, shape.Width, shape.NumClasses,
            [.. Enumerable.Repeat(0.5f, shape.Channels)], [.. Enumerable.Repeat(0.25f, shape.Channels)], Augment: false);
        var options = new FisherOptions(s.Samples, 1, s.BatchSize, 1, "fast");

        FisherProbe.Measure(model, data, info, null, options with { Samples = Math.Min(s.Samples, s.BatchSize) }, CPU);   // warm-up
        double fast = Time(() => FisherProbe.Measure(model, data, info, null, options, CPU));
        double? naive = s.SkipNaive ? null : Time(() => FisherProbe.Measure(model, data, info, null, options with { Method = "naive" }, CPU));
        double train = Time(() => TrainingPass(model, data, info, s.BatchSize));
        Console.WriteLine(JsonSerializer.Serialize(new
        {
            model = s.Model, samples = s.Samples, batch = s.BatchSize, threads,
            fast_seconds = Math.Round(fast, 4), naive_seconds = naive is null ? (double?)null : Math.Round(naive.Value, 4),
            train_pass_seconds = Math.Round(train, 4),
            fast_over_train = Math.Round(fast / train, 2), naive_over_fast = naive is null ? (double?)null : Math.Round(naive.Value / fast, 1),
        }));
        return 0;
    }

    /// <summary>Forward and backward (no optimizer step) over every example, in train mode, as a training epoch does.</summary>
    private static void TrainingPass(nn.Module<Tensor, Tensor> model, Dataset data, DatasetInfo info, int batchSize)
    {
        var loader = new BatchLoader(data, info, batchSize, train: false, CPU);
        model.train();
        for (int i = 0; i < loader.BatchesPerEpoch; i++)
        {
            using var scope = torch.NewDisposeScope();
            var (x, y) = loader.Batch(0, 0, i);
            model.zero_grad();
            nn.functional.cross_entropy(model.call(x), y).backward();
        }
        model.zero_grad();
    }

    private static double Time(Action work)
    {
        var clock = Stopwatch.StartNew();
        work();
        return clock.Elapsed.TotalSeconds;
    }
}
