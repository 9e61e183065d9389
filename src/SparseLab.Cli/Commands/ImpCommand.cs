// `sparselab imp`: iterative magnitude pruning with rewinding; one run folder
// per level under --out (level-00 dense, level-01, ...), masks in --out/masks,
// and imp.json with every level and the level that reaches each target. The
// folder is claimed for its settings: a rerun with other settings is refused,
// never mixed with the levels already there. With --executor slurm the levels
// are a chain of jobs, each waiting on the one before (afterok).
using System.Globalization;
using SparseLab.Cli.Options;
using SparseLab.Cli.Rendering;
using SparseLab.Foundations;
using SparseLab.Schedules;
using SparseLab.Studies;
using SparseLab.Studies.Execution;

namespace SparseLab.Cli.Commands;

public sealed class ImpCommand : CliCommand<ImpCommand.Options>
{
    public sealed record Options
    {
        public ImpConfig Imp { get; init; } = new();

        [Option("Folder of the levels.", Value = "DIR", IsPath = true)]
        public string Out { get; init; } = "runs/imp";

        /// <summary>Where the levels train (--executor local|slurm and the Slurm options).</summary>
        public ExecutionConfig Execution { get; init; } = new();
    }

    public override string Path => "imp";
    public override string Description =>
        "Iterative magnitude pruning with rewinding: level 0 trains densely, each level removes --prune-rate of the survivors and rewinds them; one run folder per level.";
    public override IReadOnlyList<string> Examples => ["imp --dataset fashion-mnist --model lenet5 --epochs 2 --targets 0.9 --rewind 0 --out runs/imp"];
    protected override Options Defaults => new();

    protected override IReadOnlyList<Excluded> Excluded =>
    [
        new("Imp.Train.Sparsity.Target", "imp prunes level by level; give the sparsities to reach with --targets"),
        new("Imp.Train.Sparsity.MaskFrom", "imp makes every level's mask itself"),
        new("Imp.Train.Sparsity.Criterion", "imp prunes by global magnitude"),
        new("Imp.Train.Sparsity.Budget", "imp prunes by global magnitude"),
        new("Imp.Train.Sparsity.LayerSparsity", "imp prunes by global magnitude"),
        new("Imp.Train.Sparsity.RescaleInit", "imp rewinds the survivors to the dense run"),
        new("Imp.Train.Model.InitFrom", "imp rewinds every level to its own dense run"),
        new("Imp.Train.MaskSchedule", "imp is a mask schedule of its own"),
    ];

    protected override Options Complete(Bound<Options> bound) =>
        bound.Value with { Imp = bound.Value.Imp with { Train = TrainCommand.WithTaskDefaults(bound.Value.Imp.Train, bound.Sources, "Imp.Train") } };

    protected override int Execute(Bound<Options> bound)
    {
        var o = bound.Value;
        var config = o.Imp;
        string root = System.IO.Path.GetFullPath(o.Out);
        var executor = StudyCommand.ExecutorFor(o.Execution, config.Train.Runtime.Threads);
        string Level(int k) => System.IO.Path.Combine(root, $"level-{k:00}");
        string MaskOf(int k) => System.IO.Path.Combine(root, "masks", $"level-{k:00}.safetensors");
        var result = ConsoleObserver.Run<ImpResult?>(observer =>
        {
            var driver = new ImpDriver(config, observer);   // checks everything, data included, before the folder is claimed
            executor.CheckBeforeClaim();
            var study = new StudyFolder(root);
            study.Claim("imp", Canonical(config), RunEnvironment.Capture(TorchRuntime.SetThreads(config.Train.Runtime.Threads), config.Train.Runtime.Device));
            if (!executor.InProcess && !executor.Execute(Chain(driver, study, Level, MaskOf), observer)) return null;
            return driver.Run((k, _) => Level(k), MaskOf);   // after the executor: every level is found finished
        });
        if (result is null)
        {
            Console.WriteLine($"imp: {root}");
            Console.WriteLine($"submitted: the job ids are in {SlurmExecutor.JobsFile(new StudyFolder(root))}; once they are done, rerun this command to write imp.json (nothing trains again)");
            return 0;
        }
        var doc = new Dictionary<string, object?>
        {
            ["prune_rate"] = config.Pruning.Rate, ["rewind"] = result.Pruning.Rewind.ToString(), ["rewind_step"] = result.RewindStep,
            ["levels"] = result.Levels.Select(l => new Dictionary<string, object?>
            {
                ["level"] = l.Level, ["sparsity"] = l.Sparsity, ["measured_sparsity"] = l.Summary.Sparsity,
                ["test_accuracy"] = l.Summary.TestAccuracy, ["train_accuracy"] = l.Summary.TrainAccuracy,
                ["train_flops"] = l.Summary.TrainFlops, ["run"] = l.Run,
            }).ToList(),
            ["targets"] = config.Targets.Distinct().Order().Select(t => new Dictionary<string, object?> { ["sparsity"] = t, ["level"] = result.Plan.LevelOf(t) }).ToList(),
        };
        AtomicFile.WriteAllText(System.IO.Path.Combine(root, "imp.json"), Json.Serialize(doc));
        Console.WriteLine($"imp: {root} (imp.json)");
        Console.WriteLine("level  sparsity  measured  test_acc  train_acc");
        foreach (var l in result.Levels)
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{l.Level,5}  {l.Sparsity,8:0.0000}  {l.Summary.Sparsity,8:0.0000}  {l.Summary.TestAccuracy,8:0.0000}  {l.Summary.TrainAccuracy,9:0.0000}"));
        foreach (var t in config.Targets.Distinct().Order())
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"sparsity {t}: reached at level {result.Plan.LevelOf(t)}"));
        return 0;
    }

    /// <summary>The levels as run files, each waiting on the one before.</summary>
    private static StudyPlan Chain(ImpDriver driver, StudyFolder study, Func<int, string> level, Func<int, string> mask) =>
        new(study, [.. driver.Chain(level, mask).Select(l =>
        {
            string label = $"level-{l.Level:00}";
            var spec = new RunSpec(label, study.Path, l.Config, RunSpec.Describe(l.Callbacks, label), l.Mask is null ? [] : [l.Mask], l.Dir);
            string file = study.RunFile(label);
            spec.Write(file);
            return new PlannedRun(label, file, spec, label, l.Level == 0 ? null : $"level-{l.Level - 1:00}");
        })]);

    /// <summary>Everything that changes the levels' numbers: the dense recipe, the rate, the levels and targets, the rewind point.</summary>
    private static string Canonical(ImpConfig c) =>
        $"train[{ConfigHash.Canonical(c.Train)}];rate={GapStudyConfig.Fmt(c.Pruning.Rate)};rewind={c.Pruning.Rewind};levels={c.Levels};" +
        $"targets={string.Join(",", c.Targets.Select(GapStudyConfig.Fmt))}";
}
