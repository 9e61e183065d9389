// What `study gap` and `study curriculum` share: the study's options (the
// dense recipe, sparsities, seeds, methods, finetuning, paths, curriculum
// arms), --preset, --out, the fields the study sets itself, and how a
// finished study is written and summed up.
using System.Globalization;
using SparseLab.Cli.Options;
using SparseLab.Cli.Rendering;
using SparseLab.Foundations;
using SparseLab.Reporting;
using SparseLab.Studies;
using SparseLab.Studies.Methods;
using SparseLab.Studies.Execution;

namespace SparseLab.Cli.Commands;

public abstract class StudyCommand : CliCommand<StudyCommand.Options>
{
    public sealed record Options
    {
        public GapStudyConfig Study { get; init; } = new();

        [Option("Start the study from a named recipe; options given with it win. paper: the seed's scripts/train.sh — ResNet-32 ×4 wide on CIFAR-100, " +
            "dense 200 epochs (lr 0.1 ÷ 10 at 100, 150), finetune and scratch 250 (÷ 10 at 100, 150, 200), SGD 0.9, weight decay 2e-4, batch 128, " +
            "the seed's Kaiming fan-out init, last layer dense, sparsities 0.8–0.98. Unlike the seed, which reported each run's best epoch by test " +
            "accuracy, it holds out 5,000 training images (--val) and reports the best-by-validation epoch's test accuracy beside the final one.",
            OneOf = typeof(StudyPresets))]
        public string? Preset { get; init; }

        [Option("Study folder; rerunning it skips finished runs and resumes the unfinished one.", Value = "DIR", IsPath = true)]
        public string? Out { get; init; }

        /// <summary>Where the runs train (--executor local|slurm and the Slurm options).</summary>
        public ExecutionConfig Execution { get; init; } = new();
    }

    /// <summary>The study's defaults (StudyKinds).</summary>
    protected abstract GapStudyConfig Study { get; }
    protected abstract string DefaultOut { get; }
    protected override Options Defaults => new() { Study = Study };

    protected override IReadOnlyList<Excluded> Excluded => StudyExclusions;

    /// <summary>The dense recipe's fields a study sets itself, under an options record's "Study" section.</summary>
    internal static IReadOnlyList<Excluded> StudyExclusions { get; } =
    [
        new("Study.Train.Sparsity.Target", "the study prunes at every one of --sparsities"),
        new("Study.Train.Sparsity.Criterion", "--criterion and --budget choose the study's mask M from Sol-D"),
        new("Study.Train.Sparsity.Budget", "--criterion and --budget choose the study's mask M from Sol-D"),
        new("Study.Train.Sparsity.LayerSparsity", "the study's masks are global by --budget"),
        new("Study.Train.Sparsity.ForbidCollapse", "the study's masks are global by --budget"),
        new("Study.Train.Sparsity.PruneAt", "the study prunes Sol-D, and at init for the pruning-at-init controls"),
        new("Study.Train.Sparsity.MaskFrom", "the study makes every mask itself"),
        new("Study.Train.Sparsity.RescaleInit", "--scratch-init scaled rescales scratch's init"),
        new("Study.Train.Model.InitFrom", "the study starts every run from its dense run"),
        new("Study.Train.MaskSchedule.Kind", "list the schedules in --methods (e.g. finetune,scratch,gmp,set,rigl)"),
        new("Study.Train.Curriculum", "the study's runs train on the plain order; the curriculum arms take --curriculum, --pacing and the rest"),
        new("Study.Train.Early", "the study's runs train plainly; each early-phase arm sets its own selection (list fisher-early, fisher-early-hard, " +
            "loss-early, random-early, fisher-penalty in --methods) and takes --early-steps, --early-pool and --fisher-penalty"),
        new("Study.Early.Select", "each early-phase arm sets its own selection (list fisher-early, fisher-early-hard, loss-early, random-early in --methods)"),
        new("Study.Curriculum.Order", "each curriculum arm sets its own order"),
        new("Study.Curriculum.ScoreCache", "the study keeps its scores in its own folder"),
    ];

    protected override Options Complete(Bound<Options> bound) => bound.Value with { Study = WithPreset(bound.Value.Study, bound.Value.Preset, bound.Sources) };

    protected override int Execute(Bound<Options> bound)
    {
        var o = bound.Value;
        return Run(o.Study, new StudyFolder(o.Out ?? DefaultOut), ExecutorFor(o.Execution, o.Study.Train.Runtime.Threads));
    }

    /// <summary>The executor --executor names; Slurm tasks start this same CLI (Launcher).</summary>
    internal static IRunExecutor ExecutorFor(ExecutionConfig execution, int threads)
    {
        execution.Validate();
        return execution.IsSlurm ? new SlurmExecutor(execution, Launcher.Command(), threads) : LocalExecutor.Instance;
    }

    /// <summary>The study with a --preset's dense recipe beneath the options given.</summary>
    /// <remarks>
    /// A GPT study without a preset takes the language-model recipe beneath its options, and its default methods leave
    /// out those that score images only (EL2N, pruning at init).
    /// </remarks>
    internal static GapStudyConfig WithPreset(GapStudyConfig study, string? preset, IReadOnlyDictionary<string, string> sources)
    {
        if (preset is not null) return OptionSet.Underlay(StudyPresets.Apply(preset, study), study, sources, "Study");
        study = study with { Train = TrainCommand.WithTaskDefaults(study.Train, sources, "Study.Train") };
        if (Training.Tasks.TaskRegistry.For(study.Train).ClassifiesImages || sources.ContainsKey("Study.Methods")) return study;
        return study with { Methods = [.. study.Methods.Where(m => StudyMethods.Find(m)?.ImagesOnly is null)] };
    }

    /// <summary>Runs a study, writes its report and prints where everything went.</summary>
    internal static int Run(GapStudyConfig study, StudyFolder folder, IRunExecutor? executor = null)
    {
        var result = ConsoleObserver.Run(observer => new GapStudy(study, folder, observer).Run(executor ?? LocalExecutor.Instance));
        if (result is null)
        {
            Console.WriteLine($"study: {folder.Path}");
            Console.WriteLine($"submitted: the job ids are in {SlurmExecutor.JobsFile(folder)}; when squeue no longer lists them: sparselab study collect {folder.Path}");
            return 0;
        }
        GapReport.Write(result, folder.Path);
        Console.WriteLine($"study: {folder.Path}");
        Console.WriteLine($"results: {folder.ResultFile}");
        Console.WriteLine($"report: {System.IO.Path.Combine(folder.Path, "report.html")} (and report.md, figures/)");
        if (MethodRanking.HasSchedules(result))
            foreach (double s in study.Sparsities)
                Console.WriteLine($"sparsity {s}: {MethodRanking.Line(result, s)}");
        foreach (var r in result.Regimes)
            Console.WriteLine(result.RanksByLoss
                ? $"sparsity {r.Sparsity}: {r.Regime} regime; scratch − finetune {(result.IsLanguageModel ? "loss (nats)" : "denoising loss")}: train {Signed(r.TrainGap.Mean)}, {(result.IsLanguageModel ? "validation" : "test")} {Signed(r.TestGap.Mean)}"
                : $"sparsity {r.Sparsity}: {r.Regime} regime; finetune − scratch: train {Signed(r.TrainGap.Mean)}, test {Signed(r.TestGap.Mean)}");
        foreach (var g in result.GapClosed ?? [])
            Console.WriteLine($"sparsity {g.Sparsity} {g.Arm}: {(result.RanksByLoss ? "held-out loss gain" : "test gain")} over scratch {Signed(g.TestGain.Mean)}, gap closed {CurriculumNarrative.Ratio(g.TestGapClosed)}, cost {g.CostRelativeToFinetune:0.00}× finetuning ({g.MarginalCostRelativeToFinetune:0.00}× marginal)");
        return 0;
    }

    // Rounded first, so a tiny negative number prints as +0.0000, not -+0.0000.
    private static string Signed(double x) => Math.Round(x, 4).ToString("+0.0000;-0.0000;+0.0000", CultureInfo.InvariantCulture);
}
