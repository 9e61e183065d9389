// `sparselab fisher`: Fisher information of a saved network — true and
// empirical traces, per layer, and optionally per-example scores as CSV (the
// curriculum consumes them).
using System.ComponentModel;
using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using SparseLab.Cli.Settings;
using SparseLab.Data;
using SparseLab.Foundations;
using SparseLab.Information;
using SparseLab.Training;
using Spectre.Console.Cli;
using TorchSharp;

namespace SparseLab.Cli.Commands;

public sealed class FisherCommand : Command<FisherCommand.Settings>
{
    public static readonly string[] Kinds = ["true", "empirical", "last-layer"];

    public sealed class Settings : RunCheckpointSettings
    {
        [CommandOption("--samples <N>")] [Description("Probe examples (default 1024): the traces use a seeded sample of this size; --scores the first N in file order.")]
        public int Samples { get; init; } = 1024;
        [CommandOption("--kind <KIND>")] [Description("Which per-example score goes to --scores: true, empirical or last-layer (default: all three).")]
        public string? Kind { get; init; }
        [CommandOption("--draws <M>")] [Description("Labels sampled from the model per example for the true Fisher (default 1).")]
        public int Draws { get; init; } = 1;
        [CommandOption("--method <NAME>")] [Description("fast (default) or naive (one backward per example).")]
        public string Method { get; init; } = "fast";
        [CommandOption("--seed <N>")] [Description("Seed of the probe set and the sampled labels (default 1).")]
        public long Seed { get; init; } = 1;
        [CommandOption("--out <FILE>")] [Description("JSON with true_trace, empirical_trace and per_layer.")]
        public string? Out { get; init; }
        [CommandOption("--scores <FILE>")] [Description("CSV, one row per example: index, label, and one column per kind.")]
        public string? Scores { get; init; }
        [CommandOption("--data-dir <DIR>")] [Description("Dataset folder, if not the run's.")]
        public string? DataDir { get; init; }
        [CommandOption("--threads <N>")] [Description("CPU threads (default: the run's).")]
        public int? Threads { get; init; }
    }

    public override int Execute(CommandContext context, Settings s, CancellationToken cancellationToken)
    {
        if (s.Run is null) throw new InvalidOptionException("--run is required: the run folder to measure");
        if (s.Out is null) throw new InvalidOptionException("--out is required: the JSON file to write");
        if (s.Samples <= 0) throw new InvalidOptionException($"--samples {s.Samples}: must be at least 1");
        if (s.Draws <= 0) throw new InvalidOptionException($"--draws {s.Draws}: must be at least 1");
        if (s.Kind is not null && !Kinds.Contains(s.Kind)) throw new InvalidOptionException($"--kind '{s.Kind}' is not known; use true, empirical or last-layer");
        if (s.Method is not ("fast" or "naive")) throw new InvalidOptionException($"--method '{s.Method}' is not known; use fast or naive");

        using var saved = SavedRun.Open(s.Run, s.Checkpoint);
        var config = saved.Config with { DataDir = s.DataDir ?? saved.Config.DataDir };
        TorchRuntime.SetThreads(s.Threads ?? config.Threads);
        var device = TorchRuntime.ResolveDevice(config.Device);
        using var data = DatasetCatalog.Load(DataOptions.For(config));
        if (s.Samples > data.Train.Count)
            throw new InvalidOptionException($"--samples {s.Samples}: the run's training set has {data.Train.Count} examples");
        using var mask = saved.LoadMask();
        saved.Model.to(device);
        var options = new FisherOptions(s.Samples, s.Draws, config.BatchSize, s.Seed, s.Method);

        var trace = FisherProbe.Measure(saved.Model, data.Train, data.Info, mask, options, device);
        var perLayer = new JsonObject();
        foreach (var (layer, f) in trace.PerLayer) perLayer[layer] = new JsonObject { ["true"] = f.True, ["empirical"] = f.Empirical };
        var doc = new JsonObject
        {
            ["true_trace"] = trace.True, ["empirical_trace"] = trace.Empirical, ["per_layer"] = perLayer,
            ["samples"] = trace.Samples, ["draws"] = s.Draws, ["seed"] = s.Seed, ["method"] = s.Method,
            ["run"] = saved.Folder.Path, ["checkpoint"] = s.Checkpoint,
        };
        string? csv = s.Scores is null ? null : Csv(FisherProbe.Scores(saved.Model, data.Train, data.Info, mask, options, device), s.Kind);
        AtomicFile.WriteAllText(s.Out, doc.ToJsonString(Json.Options));
        if (csv is not null) AtomicFile.WriteAllText(s.Scores!, csv);

        Console.WriteLine($"true Fisher trace: {trace.True:G6}   empirical: {trace.Empirical:G6}   ({trace.Samples} examples, {s.Method})");
        foreach (var (layer, f) in trace.PerLayer) Console.WriteLine($"  {layer,-24} true {f.True,12:G6}  empirical {f.Empirical,12:G6}");
        Console.WriteLine($"wrote {Path.GetFullPath(s.Out)}" + (s.Scores is null ? "" : $" and {Path.GetFullPath(s.Scores)}"));
        return 0;
    }

    private static string Csv(ExampleFisher e, string? kind)
    {
        var columns = new List<(string Name, double[] Values)>();
        if (kind is null or "true") columns.Add(("true", e.True));
        if (kind is null or "empirical") columns.Add(("empirical", e.Empirical));
        if (kind is null or "last-layer") columns.Add(("last_layer", e.LastLayerTrue));   // the closed-form true Fisher of the classifier
        var sb = new StringBuilder("index,label," + string.Join(",", columns.Select(c => c.Name)) + "\n");
        for (int i = 0; i < e.Index.Length; i++)
            sb.Append(e.Index[i].ToString(CultureInfo.InvariantCulture)).Append(',').Append(e.Label[i].ToString(CultureInfo.InvariantCulture))
              .Append(string.Concat(columns.Select(c => "," + c.Values[i].ToString("R", CultureInfo.InvariantCulture)))).Append('\n');
        return sb.ToString();
    }
}
