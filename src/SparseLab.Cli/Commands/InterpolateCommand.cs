// `sparselab interpolate`: loss and accuracy along the straight line between
// two checkpoints of the same model (METHODS §5), written to DIR/path.json.
using System.ComponentModel;
using System.Globalization;
using SparseLab.Data;
using SparseLab.Foundations;
using SparseLab.Information;
using SparseLab.Sparsity;
using SparseLab.Training;
using Spectre.Console.Cli;
using TorchSharp;

namespace SparseLab.Cli.Commands;

public sealed class InterpolateCommand : Command<InterpolateCommand.Settings>
{
    public sealed class Settings : CommandSettings
    {
        [CommandOption("--from <RUN>")] [Description("The network at α = 0: a run folder (its final checkpoint) or RUN:NAME (e.g. RUN:init).")]
        public string? From { get; init; }
        [CommandOption("--to <RUN>")] [Description("The network at α = 1, same form; its dataset settings are used.")]
        public string? To { get; init; }
        [CommandOption("--points <N>")] [Description("Number of α values (default 29: a 0.05 step over [-0.2, 1.2]).")]
        public int Points { get; init; } = 29;
        [CommandOption("--alpha-min <X>")] [Description("First α (default -0.2; write --alpha-min=-0.5 for other negative values).")]
        public double AlphaMin { get; init; } = -0.2;
        [CommandOption("--alpha-max <X>")] [Description("Last α (default 1.2).")]
        public double AlphaMax { get; init; } = 1.2;
        [CommandOption("--bn <MODE>")] [Description("BatchNorm statistics at each α: recompute (default, from training batches) or copy (the --to network's).")]
        public string Bn { get; init; } = "recompute";
        [CommandOption("--bn-batches <N>")] [Description("Training batches for recomputing BatchNorm statistics (default 200).")]
        public int BnBatches { get; init; } = 200;
        [CommandOption("--batch-size <N>")] [Description("Batch size for BatchNorm recomputation and evaluation (default 256).")]
        public int BatchSize { get; init; } = 256;
        [CommandOption("--limit-train <N>")] [Description("Use the first N training examples (default: the --to run's setting).")]
        public long? LimitTrain { get; init; }
        [CommandOption("--limit-test <N>")] [Description("Use the first N test examples (default: the --to run's setting).")]
        public long? LimitTest { get; init; }
        [CommandOption("--data-dir <DIR>")] [Description("Dataset folder, if not the run's.")]
        public string? DataDir { get; init; }
        [CommandOption("--threads <N>")] [Description("libtorch threads (default: the --to run's setting; 0 = all cores).")]
        public int? Threads { get; init; }
        [CommandOption("--device <NAME>")] [Description("cpu (default), cuda or auto.")]
        public string Device { get; init; } = "cpu";
        [CommandOption("--out <DIR>")] [Description("Folder to write path.json into.")]
        public string? Out { get; init; }
    }

    public override int Execute(CommandContext context, Settings s, CancellationToken cancellationToken)
    {
        if (s.From is null) throw new InvalidOptionException("--from is required: the network at α = 0 (RUN or RUN:checkpoint)");
        if (s.To is null) throw new InvalidOptionException("--to is required: the network at α = 1 (RUN or RUN:checkpoint)");
        if (s.Out is null) throw new InvalidOptionException("--out is required: the folder to write path.json into");
        if (File.Exists(s.Out)) throw new InvalidOptionException($"--out '{s.Out}' is a file; give a folder to write path.json into");
        if (s.Threads is < 0) throw new InvalidOptionException($"--threads {s.Threads}: must be 0 (all cores) or positive");
        var options = new PathOptions(s.Points, s.AlphaMin, s.AlphaMax, s.Bn, s.BnBatches, s.BatchSize);
        options.Validate();
        var device = TorchRuntime.ResolveDevice(s.Device);

        var (fromDir, fromName) = ParseEnd(s.From, "--from");
        var (toDir, toName) = ParseEnd(s.To, "--to");
        var from = OpenEnd(fromDir, fromName);
        using var stateA = from.State;
        using var fromMask = from.Mask;
        var fromConfig = from.Config;
        using var to = SavedRun.Open(toDir, toName);
        using var toMask = to.LoadMask();
        using var stateB = StateSource.FromModel(to.Model, $"{to.Folder.Path}:{toName}");
        var config = to.Config;
        if (fromConfig.Model != config.Model || fromConfig.Dataset != config.Dataset || fromConfig.Width != config.Width)
            throw new InvalidOptionException(
                $"--from {stateA.Label} and --to {stateB.Label} are different models: {Describe(fromConfig)} and {Describe(config)}; a linear path needs the same model, dataset and width");
        PathCompatibility.CheckSameModel(stateA, stateB);
        PathCompatibility.CheckSameMask(fromMask, toMask, stateA.Label, stateB.Label);

        TorchRuntime.SetThreads(s.Threads ?? config.Threads);
        options = options with { Seed = config.Seed };
        using var data = DatasetCatalog.Load(new DataOptions(
            config.Dataset, s.DataDir ?? config.DataDir, s.LimitTrain ?? config.LimitTrain, s.LimitTest ?? config.LimitTest, config.Val));
        to.Model.to(device);   // the --to run's model is the scratch model; its weights are in stateB
        var points = LinearPath.Evaluate(to.Model, stateA, stateB, toMask, data, options, device,
            (done, total) => Console.Error.WriteLine($"interpolate: {done}/{total} points"));

        string file = Path.Combine(s.Out, "path.json");
        PathReport.Of(stateA.Label, stateB.Label, options, points).Write(file);
        Console.WriteLine($"{"alpha",7} {"train_loss",11} {"train_acc",9} {"test_loss",11} {"test_acc",9}");
        foreach (var p in points)
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{p.Alpha,7:F3} {p.TrainLoss,11:F5} {p.TrainAccuracy,9:F4} {p.TestLoss,11:F5} {p.TestAccuracy,9:F4}"));
        Console.WriteLine($"path: {Path.GetFullPath(file)}  ({points.Count} points, BatchNorm {options.BatchNorm}{(toMask is null ? "" : $", mask sparsity {toMask.Sparsity:F4}")})");
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
        string file = Path.GetFullPath(CheckpointRef.Resolve(text, option));
        var run = CheckpointRef.RunOf(text);
        if (run is null && Path.GetDirectoryName(Path.GetDirectoryName(file)) is { } parent) run = new RunFolder(parent);
        string name = Path.GetFileNameWithoutExtension(file);
        if (run is null || !File.Exists(run.ConfigFile) || Path.GetFullPath(run.CheckpointFile(name)) != file)
            throw new InvalidOptionException($"{option} '{text}': not a checkpoint of a SparseLab run folder; give RUN or RUN:NAME where RUN holds config.json");
        return (run.Path, name);
    }

    private static string Describe(TrainConfig c) =>
        string.Create(CultureInfo.InvariantCulture, $"{c.Model} on {c.Dataset} (width {c.Width})");
}
