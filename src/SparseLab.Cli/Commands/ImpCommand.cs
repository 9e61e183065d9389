// `sparselab imp`: iterative magnitude pruning with rewinding; one run folder
// per level under --out (level-00 dense, level-01, ...), masks in --out/masks,
// and imp.json with every level and the level that reaches each target.
using System.ComponentModel;
using System.Globalization;
using SparseLab.Cli.Rendering;
using SparseLab.Cli.Settings;
using SparseLab.Foundations;
using SparseLab.Schedules;
using Spectre.Console.Cli;

namespace SparseLab.Cli.Commands;

public sealed class ImpCommand : Command<ImpCommand.Settings>
{
    public sealed class Settings : TrainSettings
    {
        [CommandOption("--levels <L>")] [Description("Pruning levels after the dense level 0 (default: as many as the largest target needs).")]
        public int? Levels { get; init; }
        [CommandOption("--prune-rate <P>")] [Description("Fraction of the remaining weights removed per level, by global magnitude (default 0.2).")]
        public double? PruneRate { get; init; }
        [CommandOption("--rewind <POINT>")] [Description("Where survivors are rewound to: 0 (the original initialization, default), Kit (after K iterations) or Kep (after K epochs) of level 0.")]
        public string? Rewind { get; init; }
        [CommandOption("--targets <LIST>")] [Description("Sparsities to reach, e.g. 0.9,0.98: a level that would pass one stops on it (--sparsity S is the same as --targets S).")]
        public string? Targets { get; init; }
        [CommandOption("--out <DIR>")] [Description("Folder of the levels (default runs/imp).")]
        public string Out { get; init; } = "runs/imp";

        public IReadOnlyList<double> TargetList()
        {
            var list = new List<double>();
            if (Sparsity is { } s) list.Add(s);
            if (Targets is null) return list;
            foreach (var t in Targets.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
                list.Add(double.TryParse(t, NumberStyles.Float, CultureInfo.InvariantCulture, out var x)
                    ? x : throw new InvalidOptionException($"--targets '{Targets}': expected comma-separated sparsities such as 0.9,0.98"));
            return list;
        }
    }

    public override int Execute(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        var config = settings.ToConfig() with { Sparsity = 0 };
        var options = new ImpOptions(settings.PruneRate ?? 0.2, settings.Levels, settings.TargetList(), RewindPoint.Parse(settings.Rewind ?? "0"));
        string root = Path.GetFullPath(settings.Out);
        var result = ConsoleObserver.Run(observer =>
        {
            var driver = new ImpDriver(config, options, observer);
            return driver.Run((k, _) => Path.Combine(root, $"level-{k:00}"), k => Path.Combine(root, "masks", $"level-{k:00}.safetensors"));
        });
        var doc = new Dictionary<string, object?>
        {
            ["prune_rate"] = options.Rate, ["rewind"] = result.Rewind.ToString(), ["rewind_step"] = result.RewindStep,
            ["levels"] = result.Levels.Select(l => new Dictionary<string, object?>
            {
                ["level"] = l.Level, ["sparsity"] = l.Sparsity, ["measured_sparsity"] = l.Summary.Sparsity,
                ["test_accuracy"] = l.Summary.TestAccuracy, ["train_accuracy"] = l.Summary.TrainAccuracy,
                ["train_flops"] = l.Summary.TrainFlops, ["run"] = l.Run,
            }).ToList(),
            ["targets"] = options.Targets.Distinct().Order().Select(t => new Dictionary<string, object?> { ["sparsity"] = t, ["level"] = result.Plan.LevelOf(t) }).ToList(),
        };
        AtomicFile.WriteAllText(Path.Combine(root, "imp.json"), Json.Serialize(doc));
        Console.WriteLine($"imp: {root} (imp.json)");
        Console.WriteLine("level  sparsity  measured  test_acc  train_acc");
        foreach (var l in result.Levels)
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{l.Level,5}  {l.Sparsity,8:0.0000}  {l.Summary.Sparsity,8:0.0000}  {l.Summary.TestAccuracy,8:0.0000}  {l.Summary.TrainAccuracy,9:0.0000}"));
        foreach (var t in options.Targets.Distinct().Order())
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"sparsity {t}: reached at level {result.Plan.LevelOf(t)}"));
        return 0;
    }
}
