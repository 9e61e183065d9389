// `sparselab interpolate`: loss and accuracy along the straight line between
// two checkpoints of the same model (METHODS §5), written to DIR/path.json.
using System.Globalization;
using SparseLab.Cli.Options;
using SparseLab.Data;
using SparseLab.Foundations;
using SparseLab.Information;
using SparseLab.Sparsity;
using SparseLab.Training;
using TorchSharp;

namespace SparseLab.Cli.Commands;

public sealed class InterpolateCommand : CliCommand<InterpolateCommand.Options>
{
    public sealed record Options
    {
        [Option("The network at α = 0: a run folder (its final checkpoint) or RUN:NAME (e.g. RUN:init).", Value = "RUN", Reference = ReferenceKind.Path)]
        public string? From { get; init; }

        [Option("The network at α = 1, same form; its dataset settings are used.", Value = "RUN", Reference = ReferenceKind.Path)]
        public string? To { get; init; }

        public PathOptions Path { get; init; } = new();

        [Option("Use the first N training examples (default: the --to run's setting).")]
        public long? LimitTrain { get; init; }

        [Option("Use the first N test examples (default: the --to run's setting).")]
        public long? LimitTest { get; init; }

        [Option("Dataset folder, if not the run's.", Value = "DIR")]
        public string? DataDir { get; init; }

        [Option("libtorch threads (default: the --to run's setting; 0: all cores).")]
        public int? Threads { get; init; }

        [Option("cpu, cuda or auto.", OneOf = typeof(TorchRuntime))]
        public string Device { get; init; } = "cpu";

        [Option("Folder to write path.json into.", Value = "DIR", IsPath = true)]
        public string? Out { get; init; }
    }

    public override string Path => "interpolate";
    public override string Description => "Loss and accuracy along the straight line θ(α) = (1 − α)·θ_A + α·θ_B between two checkpoints; writes DIR/path.json.";
    public override IReadOnlyList<string> Examples => ["interpolate --from runs/scratch:init --to runs/pruned --points 29 --out paths/init-to-pruned"];
    protected override Options Defaults => new();

    protected override int Execute(Bound<Options> bound)
    {
        var s = bound.Value;
        string F(string field) => ConfigError.Field(field);
        Check.That(s.From is not null, nameof(Options.From), "is required: the network at α = 0 (RUN or RUN:checkpoint)");
        Check.That(s.To is not null, nameof(Options.To), "is required: the network at α = 1 (RUN or RUN:checkpoint)");
        Check.That(s.Out is not null, nameof(Options.Out), "is required: the folder to write path.json into");
        Check.That(!File.Exists(s.Out), nameof(Options.Out), $"'{s.Out}' is a file; give a folder to write path.json into");
        Check.That(s.Threads is null or >= 0, nameof(Options.Threads), $"must be 0 (all cores) or positive, got {s.Threads}");
        Check.Section(s.Path, nameof(Options.Path));
        var device = TorchRuntime.ResolveDevice(s.Device);

        var (fromDir, fromName) = ParseEnd(s.From!, F(nameof(Options.From)));
        var (toDir, toName) = ParseEnd(s.To!, F(nameof(Options.To)));
        var from = OpenEnd(fromDir, fromName);
        using var stateA = from.State;
        using var fromMask = from.Mask;
        var fromConfig = from.Config;
        using var to = SavedRun.Open(toDir, toName);
        using var toMask = to.LoadMask();
        using var stateB = StateSource.FromModel(to.Model, $"{to.Folder.Path}:{toName}");
        var config = to.Config;
        Check.That(fromConfig.Model == config.Model && fromConfig.Data.Dataset == config.Data.Dataset,
            $"{F(nameof(Options.From))} {stateA.Label} and {F(nameof(Options.To))} {stateB.Label} are different models: {Describe(fromConfig)} and {Describe(config)}; a linear path needs the same model, dataset and width");
        PathCompatibility.CheckSameModel(stateA, stateB);
        PathCompatibility.CheckSameMask(fromMask, toMask, stateA.Label, stateB.Label);

        TorchRuntime.SetThreads(s.Threads ?? config.Runtime.Threads, Console.Error.WriteLine);
        var options = s.Path with { Seed = config.Seed };
        var d = config.Data;
        using var data = DatasetCatalog.Load(new DataOptions(d.Dataset, s.DataDir ?? d.DataDir, s.LimitTrain ?? d.LimitTrain, s.LimitTest ?? d.LimitTest, d.Val));
        to.Model.to(device);   // the --to run's model is the scratch model; its weights are in stateB
        var points = LinearPath.Evaluate(to.Model, stateA, stateB, toMask, data, options, device,
            (done, total) => Console.Error.WriteLine($"interpolate: {done}/{total} points"));

        string file = System.IO.Path.Combine(s.Out!, "path.json");
        PathReport.Of(stateA.Label, stateB.Label, options, points).Write(file);
        Console.WriteLine($"{"alpha",7} {"train_loss",11} {"train_acc",9} {"test_loss",11} {"test_acc",9}");
        foreach (var p in points)
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{p.Alpha,7:F3} {p.TrainLoss,11:F5} {p.TrainAccuracy,9:F4} {p.TestLoss,11:F5} {p.TestAccuracy,9:F4}"));
        Console.WriteLine($"path: {System.IO.Path.GetFullPath(file)}  ({points.Count} points, BatchNorm {options.BatchNorm}{(toMask is null ? "" : $", mask sparsity {toMask.Sparsity:F4}")})");
        return 0;
    }

    // The run's state, config and mask (or null); its model is freed.
    private static (StateSource State, TrainConfig Config, Mask? Mask) OpenEnd(string dir, string checkpoint)
    {
        using var saved = SavedRun.Open(dir, checkpoint);
        var mask = saved.LoadMask();
        return (StateSource.FromModel(saved.Model, $"{saved.Folder.Path}:{checkpoint}"), saved.Config, mask);
    }

    /// <summary>RUN, RUN:NAME or RUN/checkpoints/NAME.ckpt → (run folder, checkpoint name); the run needs its config.json.</summary>
    private static (string Dir, string Checkpoint) ParseEnd(string text, string option)
    {
        string file = System.IO.Path.GetFullPath(CheckpointRef.Resolve(text, option));
        var run = CheckpointRef.RunOf(text);
        if (run is null && System.IO.Path.GetDirectoryName(System.IO.Path.GetDirectoryName(file)) is { } parent) run = new RunFolder(parent);
        string name = System.IO.Path.GetFileNameWithoutExtension(file);
        Check.That(run is not null && File.Exists(run.ConfigFile) && System.IO.Path.GetFullPath(run.CheckpointFile(name)) == file,
            $"{option} '{text}': not a checkpoint of a SparseLab run folder; give RUN or RUN:NAME where RUN holds config.json");
        return (run!.Path, name);
    }

    private static string Describe(TrainConfig c) =>
        string.Create(CultureInfo.InvariantCulture, $"{c.Model.Name} on {c.Data.Dataset} (width {c.Model.Width})");
}
