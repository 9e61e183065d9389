// `sparselab fisher`: Fisher information of a saved network — true and
// empirical traces, per layer, and optionally per-example scores as CSV (the
// curriculum consumes them).
using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using SparseLab.Cli.Options;
using SparseLab.Data;
using SparseLab.Foundations;
using SparseLab.Information;
using SparseLab.Training;
using TorchSharp;

namespace SparseLab.Cli.Commands;

public sealed class FisherCommand : CliCommand<FisherCommand.Options>
{
    public sealed record Options
    {
        public RunCheckpoint Source { get; init; } = new();

        [Option("Probe examples: the traces use a seeded sample of this size; --scores the first N in file order.")]
        public int Samples { get; init; } = 1024;

        [Option("Which per-example score goes to --scores (default: all three).", OneOf = typeof(FisherCommand), Requires = ["Scores"])]
        public string? Kind { get; init; }

        [Option("Labels sampled from the model per example for the true Fisher.", Value = "M")]
        public int Draws { get; init; } = 1;

        [Option("fast (one backward per batch) or naive (one backward per example).", OneOf = typeof(FisherOptions))]
        public string Method { get; init; } = "fast";

        [Option("Seed of the probe set and the sampled labels.")]
        public long Seed { get; init; } = 1;

        [Option("JSON with true_trace, empirical_trace and per_layer.", Value = "FILE", IsPath = true)]
        public string? Out { get; init; }

        [Option("CSV, one row per example: index, label, and one column per kind.", Value = "FILE", IsPath = true)]
        public string? Scores { get; init; }

        [Option("Dataset folder, if not the run's.", Value = "DIR")]
        public string? DataDir { get; init; }

        [Option("CPU threads (default: the run's; 0: all cores).")]
        public int? Threads { get; init; }
    }

    /// <summary>The per-example score kinds a scores CSV can hold.</summary>
    public static NameSet Names { get; } = new("true", "empirical", "last-layer");

    public override string Path => "fisher";
    public override string Description => "Fisher information of a saved network: true and empirical traces, per layer, per-example scores (--scores CSV).";
    public override IReadOnlyList<string> Examples => ["fisher --run runs/lenet5 --samples 512 --out fisher.json --scores scores.csv"];
    protected override Options Defaults => new();

    protected override int Execute(Bound<Options> bound)
    {
        var s = bound.Value;
        Check.Section(s.Source, nameof(Options.Source));
        s.Source.RefuseOverwrite(s.Out, nameof(Options.Out));
        s.Source.RefuseOverwrite(s.Scores, nameof(Options.Scores));
        Check.That(s.Out is not null, nameof(Options.Out), "is required: the JSON file to write");
        Check.Positive(s.Samples, nameof(Options.Samples));
        Check.Positive(s.Draws, nameof(Options.Draws));
        Check.That(s.Threads is null or >= 0, nameof(Options.Threads), $"must be 0 (all cores) or positive, got {s.Threads}");

        using var saved = SavedRun.Open(s.Source.Run!, s.Source.Checkpoint);
        var config = saved.Config;
        TorchRuntime.SetThreads(s.Threads ?? config.Runtime.Threads, Console.Error.WriteLine);
        var device = TorchRuntime.ResolveDevice(config.Runtime.Device);
        using var data = DatasetCatalog.Load(DataOptions.For(config.Data with { DataDir = s.DataDir ?? config.Data.DataDir }));
        Check.That(s.Samples <= data.Train.Count, nameof(Options.Samples), $"{s.Samples}: the run's training set has {data.Train.Count} examples");
        using var mask = saved.LoadMask();
        saved.Model.to(device);
        var options = new FisherOptions(s.Samples, s.Draws, config.Optimization.BatchSize, s.Seed, s.Method);

        var trace = FisherProbe.Measure(saved.Model, data.Train, data.Info, mask, options, device);
        var perLayer = new JsonObject();
        foreach (var (layer, f) in trace.PerLayer) perLayer[layer] = new JsonObject { ["true"] = f.True, ["empirical"] = f.Empirical };
        var doc = new JsonObject
        {
            ["true_trace"] = trace.True, ["empirical_trace"] = trace.Empirical, ["per_layer"] = perLayer,
            ["samples"] = trace.Samples, ["draws"] = s.Draws, ["seed"] = s.Seed, ["method"] = s.Method,
            ["run"] = saved.Folder.Path, ["checkpoint"] = s.Source.Checkpoint,
        };
        string? csv = s.Scores is null ? null : Csv(FisherProbe.Scores(saved.Model, data.Train, data.Info, mask, options, device), s.Kind);
        // The scores first, then the summary that describes them: a failure leaves neither behind (nothing half-written).
        if (csv is not null) AtomicFile.WriteAllText(s.Scores!, csv);
        try { AtomicFile.WriteAllText(s.Out!, doc.ToJsonString(Json.Options)); }
        catch when (csv is not null)
        {
            File.Delete(s.Scores!);
            throw;
        }

        Console.WriteLine($"true Fisher trace: {trace.True:G6}   empirical: {trace.Empirical:G6}   ({trace.Samples} examples, {s.Method})");
        foreach (var (layer, f) in trace.PerLayer) Console.WriteLine($"  {layer,-24} true {f.True,12:G6}  empirical {f.Empirical,12:G6}");
        Console.WriteLine($"wrote {System.IO.Path.GetFullPath(s.Out!)}" + (s.Scores is null ? "" : $" and {System.IO.Path.GetFullPath(s.Scores)}"));
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
