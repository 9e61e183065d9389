// The gap study's settings (the seed's experiment, METHODS §1 and §5): the
// dense training recipe, the sparsities and seeds, how masks are chosen, the
// methods compared, the finetuning recipe, how scratch is initialized, the
// linear paths, and how the curriculum arms score and pace. Its canonical
// string guards a study folder.
using System.Globalization;
using SparseLab.Curriculum;
using SparseLab.EarlyPhase;
using SparseLab.Foundations;
using SparseLab.Information;
using SparseLab.Schedules;
using SparseLab.Sparsity;
using SparseLab.Sparsity.Criteria;
using SparseLab.Studies.Methods;
using SparseLab.Training;

namespace SparseLab.Studies;

public sealed record GapStudyConfig : IConfigRecord
{
    /// <summary>Studies refuse more seeds than this: every seed is a dense run plus one run per sparsity and method.</summary>
    public const int MaxSeeds = 100;
    /// <summary>...and plans of more runs than this.</summary>
    public const int MaxRuns = 5_000;

    /// <summary>The dense recipe; scratch runs use it too (Seed is set per seed).</summary>
    public TrainConfig Train { get; init; } = new();

    [Option("The sparsities compared, each in (0, 1), comma-separated.", Value = "LIST")]
    public double[] Sparsities { get; init; } = [0.5, 0.8, 0.9, 0.95, 0.98];

    [Option("Seeds 1..N; every cell is a mean with a 95 % interval over them (3 or more for intervals worth reading).")]
    public int Seeds { get; init; } = 3;

    [Option("The criterion that makes the mask M from Sol-D.", Flag = "--criterion", OneOf = typeof(CriterionRegistry))]
    public string Criterion { get; init; } = "magnitude";

    [Option("How M's sparsity is spread over layers.", Flag = "--budget", OneOf = typeof(BudgetRegistry))]
    public string Budget { get; init; } = "global";

    [Option("The methods compared, comma-separated; finetune and scratch are required. scratch: a fresh init under M (the seed's sparse scratch); " +
        "lottery: Init-D ⊙ M; scratch-long: scratch for the dense plus finetuning budget (Liu et al. 2019's Scratch-B).", OneOf = typeof(StudyMethods), Value = "LIST")]
    public string[] Methods { get; init; } = [Finetune.Id, Scratch.Id, Lottery.Id];

    /// <summary>The imp method's rate and rewind point.</summary>
    [Section(Requires = [$"Methods={ImpMethod.Id}"])]
    public ImpPruning Imp { get; init; } = new();

    [Option("Epochs of sparse finetuning (default: --epochs).")]
    public int? FinetuneEpochs { get; init; }

    [Option("Peak learning rate of sparse finetuning (default: --lr, or --finetune-lr-fraction of it with --finetune-schedule low-lr).", Value = "X")]
    public double? FinetuneLr { get; init; }

    [Option("How finetuning sets its rate: rewind (the dense run's schedule restarted at its peak rate: learning-rate rewinding, Renda et al. 2020) " +
        "or low-lr (the classic finetune: the dense schedule's shape from a fraction of its peak, no warm-up).", OneOf = typeof(FinetuneSchedules))]
    public string FinetuneSchedule { get; init; } = FinetuneSchedules.Rewind;

    [Option("low-lr: the finetuning rate as a fraction of the dense peak rate.", Value = "X")]
    public double FinetuneLrFraction { get; init; } = 0.1;

    [Option("Epochs of scratch and of every arm that starts from Init-S or Init-D ⊙ M (lottery, controls, curricula) (default: --epochs).")]
    public int? ScratchEpochs { get; init; }

    [Option("Step schedule of every sparse run (finetune, scratch, lottery and the arms) when it differs from the dense run's --milestones " +
        "(the seed: dense ÷10 at 100 and 150 of 200 epochs, sparse at 100, 150 and 200 of 250).", Unit = DurationUnit.Epochs, Value = "WHEN")]
    public Duration[]? SparseMilestones { get; init; }

    [Option("Init-S of scratch: reinit (a fresh init ⊙ M, the seed's sparse scratch), original (Init-D ⊙ M: the lottery method's start) " +
        "or scaled (Init-D ⊙ M rescaled per unit, Evci et al. 2022).", OneOf = typeof(GapStudyConfig))]
    public string ScratchInit { get; init; } = "reinit";

    [Option("Points on each linear path over α in [-0.2, 1.2]; 0 skips the paths.", Flag = "--points")]
    public int PathPoints { get; init; } = 29;

    [Option("BatchNorm statistics along the paths: recompute or copy.", Flag = "--bn", OneOf = typeof(PathOptions), Requires = ["PathPoints>0"])]
    public string PathBn { get; init; } = "recompute";

    [Option("Training examples the paths are evaluated on (the first N).", Flag = "--path-train", Requires = ["PathPoints>0"])]
    public long PathTrainExamples { get; init; } = 10_000;

    [Option("Test examples the paths are evaluated on (the first N).", Flag = "--path-test", Requires = ["PathPoints>0"])]
    public long PathTestExamples { get; init; } = 10_000;

    [Option("Train-accuracy gap (a fraction) above which a sparsity is in the optimization regime.", Value = "X")]
    public double RegimeThreshold { get; init; } = 0.01;

    [Option("Do not track Fisher traces through the runs (on by default, at every epoch end).", Flag = "--no-fisher", Negated = true)]
    public bool Fisher { get; init; } = true;

    [Option("Do not probe the solutions: curvature, true Fisher trace and prediction entropy of Sol-D and of every finetune, scratch (and other baseline) solution.",
        Flag = "--no-curvature", Negated = true)]
    public bool Curvature { get; init; } = true;

    /// <summary>Fisher traces are tracked where the task has a probe (per sequence for a language model); curvature only for image classifiers (the report says so).</summary>
    public bool TracksFisher => Fisher && Training.Tasks.TaskRegistry.For(Train).HasFisherProbe;
    public bool MeasuresCurvature => Curvature && Training.Tasks.TaskRegistry.For(Train).ClassifiesImages;

    [Option("Training examples the solutions are probed on (the first N; with --fisher-draws, part of the probe cache's name).",
        Requires = [nameof(Curvature)], RequiresWhy = "the solutions probed")]
    public int CurvatureSamples { get; init; } = 512;

    /// <summary>How the curriculum arms score and pace (the scratch recipe is the study's; each arm sets its own order).</summary>
    [Section(Requires = [$"Methods={FisherCurriculum.Id}|{AntiCurriculum.Id}|{RandomPacing.Id}|{El2nCurriculum.Id}"],
        RequiresWhy = $"a curriculum arm in --methods: {FisherCurriculum.Id}, {AntiCurriculum.Id}, {RandomPacing.Id} or {El2nCurriculum.Id}")]
    public CurriculumConfig Curriculum { get; init; } = CurriculumArm.Defaults;

    [Option("The models EL2N scores are averaged over for the el2n-curriculum arm: warmup:K or run:DIR.", Value = "MODEL", Reference = ReferenceKind.Prefixed,
        Requires = [$"Methods={El2nCurriculum.Id}"])]
    public string El2nReference { get; init; } = "warmup:1";

    /// <summary>The early-phase arms' t*, pool and penalty weight (each arm sets its own selection; EarlyPhaseArm).</summary>
    public EarlyPhaseConfig Early { get; init; } = new();

    /// <summary>The ways scratch can be initialized.</summary>
    public static NameSet Names { get; } = new("reinit", "original", "scaled");

    public IReadOnlyList<StudyMethod> MethodList => StudyMethods.InOrder(Methods);
    public bool HasCurriculumArms => MethodList.Any(m => m.Kind == MethodKind.CurriculumArm);
    public bool HasEarlyArms => MethodList.Any(m => m.Kind == MethodKind.EarlyPhaseArm);
    /// <summary>Arms that are scratch with the same mask and init, compared with scratch and finetune (gap closed, cost).</summary>
    public bool HasScratchArms => HasCurriculumArms || HasEarlyArms;
    public bool HasImp => Methods.Contains(ImpMethod.Id);
    public int EffectiveFinetuneEpochs => FinetuneEpochs ?? Train.Optimization.Epochs;
    public int EffectiveScratchEpochs => ScratchEpochs ?? Train.Optimization.Epochs;
    public double EffectiveFinetuneLr => FinetuneLr ?? (FinetuneSchedule == FinetuneSchedules.LowLr ? FinetuneLrFraction * Train.Optimization.Lr : Train.Optimization.Lr);
    public IEnumerable<long> SeedValues => Enumerable.Range(1, Seeds).Select(i => (long)i);

    /// <summary>Runs the study trains: per seed the dense run and every method's runs.</summary>
    public long PlannedRuns => Seeds * (1 + MethodList.Sum(m => (long)m.RunsPerSeed(this)));

    public void Validate()
    {
        string F(string field) => ConfigError.Field(field);
        var t = Train;
        if (Training.Tasks.TaskRegistry.For(t) is { ClassifiesImages: false } task)
            foreach (var m in MethodList.Where(m => m.ImagesOnly is not null))
                throw new ConfigError($"{F(nameof(Methods))} {m.Name} does not run on {task.Subject(t)} ({m.ImagesOnly}); drop it");
        Check.That(!t.DynamicMask, $"the study runs the schedules itself: drop {F("Train.MaskSchedule.Kind")} and list them in {F(nameof(Methods))} (e.g. scratch,finetune,gmp,set,rigl)");
        Check.That(t.Sparsity.Target == 0 && t.Sparsity.MaskFrom is null && t.Model.InitFrom is null,
            $"the study chooses masks and initializations itself: drop {F("Train.Sparsity.Target")}, {F("Train.Sparsity.MaskFrom")} and {F("Train.Model.InitFrom")} (use {F(nameof(Sparsities))})");
        Check.That(t.Curriculum.Score is null, $"the study's runs train on the plain order; the curriculum arms take their score from {F("Curriculum.Score")}");
        Check.That(!t.Early.Used && t.Early == new EarlyPhaseConfig(), $"the study's runs train plainly; the early-phase arms take {F("Early.Steps")}, {F("Early.PoolFactor")} and {F("Early.Penalty")}");
        ValidateEarly();
        Check.Section(t, nameof(Train));
        Check.That(Sparsities.Length > 0, nameof(Sparsities), "is empty; give a list such as 0.5,0.9,0.98");
        foreach (var s in Sparsities)
            Check.That(s is > 0 and < 1, nameof(Sparsities), $"{Fmt(s)} is outside (0, 1)");
        if (CriterionRegistry.NmOf(Criterion) is var (keep, group))   // N:M keeps N of every M weights whatever was asked: a row named 0.9 would hold a 0.5 run
            foreach (var s in Sparsities)
                Check.That(Math.Abs(s - (1 - (double)keep / group)) < 1e-9, nameof(Sparsities),
                    $"{Fmt(s)} cannot be reached by {F(nameof(Criterion))} {Criterion}, which keeps {keep} of every {group} weights (sparsity {Fmt(1 - (double)keep / group)}); " +
                    $"use {F(nameof(Sparsities))} {Fmt(1 - (double)keep / group)}");
        var dup = Sparsities.GroupBy(s => s).FirstOrDefault(g => g.Count() > 1);
        Check.That(dup is null, nameof(Sparsities), $"lists {Fmt(dup?.Key ?? 0)} more than once");
        Check.That(Seeds is >= 1 and <= MaxSeeds, nameof(Seeds), $"{Seeds}: use 1 to {MaxSeeds} seeds (3 or more for confidence intervals)");
        ConfigSchema.Of<GapStudyConfig>().CheckNames(this);
        Check.That(Methods.Distinct().Count() == Methods.Length, nameof(Methods), $"{string.Join(",", Methods)} lists a method twice");
        Check.That(Methods.Contains(Finetune.Id) && Methods.Contains(Scratch.Id), nameof(Methods), "must include finetune and scratch: the study compares them");
        Check.That(PlannedRuns <= MaxRuns, $"{F(nameof(Seeds))} {Seeds} × {Sparsities.Length} {F(nameof(Sparsities))} × {Methods.Length} {F(nameof(Methods))} plans {PlannedRuns} runs, more than {MaxRuns}; split the study");
        if (HasImp)
        {
            Check.Section(Imp, nameof(Imp));
            ImpPlan.Make(Imp.Rate, null, Sparsities, new ImpPlan.Fields("Imp.Rate", nameof(Seeds), nameof(Sparsities)));
        }
        Check.That(FinetuneEpochs is null or >= 1, nameof(FinetuneEpochs), $"must be at least 1, got {FinetuneEpochs}");
        Check.That(ScratchEpochs is null or >= 1, nameof(ScratchEpochs), $"must be at least 1, got {ScratchEpochs}");
        Check.That(SparseMilestones is null || t.Optimization.LrSchedule == "step", nameof(SparseMilestones),
            $"only applies to {F("Train.Optimization.LrSchedule")} step, not {t.Optimization.LrSchedule}");
        Check.That(t.Optimization.Steps is null || ScratchEpochs is null && FinetuneEpochs is null, nameof(ScratchEpochs),
            $"does not apply to a run of {F("Train.Optimization.Steps")}: every sparse run trains that many steps");
        Check.That(FinetuneLr is null or > 0, nameof(FinetuneLr), $"must be > 0, got {FinetuneLr}");
        Check.That(FinetuneLrFraction is > 0 and <= 1, nameof(FinetuneLrFraction), $"must be in (0, 1], got {Fmt(FinetuneLrFraction)}");
        Check.That(FinetuneSchedule == FinetuneSchedules.LowLr || FinetuneLrFraction == new GapStudyConfig().FinetuneLrFraction,
            $"{ConfigError.Field(nameof(FinetuneLrFraction))} applies only to {ConfigError.Field(nameof(FinetuneSchedule))} low-lr");
        Check.That(PathPoints == 0 || PathPoints is >= 2 and <= PathOptions.MaxPoints, nameof(PathPoints), $"{PathPoints}: use 2 to {PathOptions.MaxPoints} points, or 0 to skip the paths");
        Check.That(RegimeThreshold is > 0 and < 1, nameof(RegimeThreshold), $"must be in (0, 1), got {Fmt(RegimeThreshold)}");
        Check.Positive(CurvatureSamples, nameof(CurvatureSamples));
        Check.Positive(PathTrainExamples, nameof(PathTrainExamples));
        Check.Positive(PathTestExamples, nameof(PathTestExamples));
        foreach (var m in MethodList) m.Validate(this);   // the curriculum arms check the study's curriculum settings
    }

    /// <summary>The early-phase settings are refused where no listed arm would use them (an option accepted and ignored).</summary>
    private void ValidateEarly()
    {
        string F(string field) => ConfigError.Field(field);
        var arms = MethodList.OfType<EarlyPhaseArm>().ToList();
        var d = new EarlyPhaseConfig();
        const string list = "fisher-early, fisher-early-hard, loss-early, random-early, fisher-penalty";
        Check.That(Early.Select is null, $"{F("Early.Select")}: each early-phase arm sets its own selection; list them in {F(nameof(Methods))}");
        Check.That(arms.Count > 0 || Early.Steps == d.Steps, $"{F("Early.Steps")} would be ignored: no early-phase arm ({list}) is in {F(nameof(Methods))}");
        Check.That(arms.Any(a => a.Selects) || Early.PoolFactor == d.PoolFactor,
            $"{F("Early.PoolFactor")} would be ignored: no early-selection arm (fisher-early, fisher-early-hard, loss-early, random-early) is in {F(nameof(Methods))}");
        Check.That(arms.Any(a => a.Penalizes) || Early.Penalty is null, $"{F("Early.Penalty")} would be ignored: fisher-penalty is not in {F(nameof(Methods))}");
    }

    /// <summary>
    /// Everything that changes the study's numbers, as one string: every declared option (the dense recipe's, the
    /// study's and its arms') that differs from its default, by property path, so an option added later is part of
    /// it without a word here. Options marked [NotHashed] (threads, kernels, executor) are left out: they change how
    /// the study runs, not what it measures.
    /// </summary>
    public string Canonical() => "v2;" + ConfigHash.Canonical(this, new GapStudyConfig(), f => f.PropertyPath);

    /// <summary>The string study folders were claimed under before Canonical named every option (it left out --curvature-samples,
    /// --no-fisher and --no-curvature); a folder written then is recognised by it and its record brought up to date.</summary>
    public string LegacyCanonical() => string.Join(";",
        $"train[{ConfigHash.Canonical(Train)}]",
        $"sparsities={string.Join(",", Sparsities.Select(Fmt))}", $"seeds={Seeds}", $"criterion={Criterion}", $"budget={Budget}",
        $"methods={string.Join(",", Methods)}", $"finetune={EffectiveFinetuneEpochs}@{Fmt(EffectiveFinetuneLr)}", $"scratch_init={ScratchInit}",
        $"paths={PathPoints}/{PathBn}/{PathTrainExamples}/{PathTestExamples}", $"regime={Fmt(RegimeThreshold)}")
        + (HasImp ? $";imp={Fmt(Imp.Rate)}@{Imp.Rewind}" : "")   // absent without imp: older study folders stay valid
        + (FinetuneSchedule != FinetuneSchedules.Rewind ? $";finetune_schedule={FinetuneSchedule}" : "")
        + (HasCurriculumArms ? $";curriculum[{CurriculumArm.Canonical(Curriculum, El2nReference)}]" : "")
        + (ScratchEpochs is { } se ? $";scratch_epochs={se}" : "")
        + (SparseMilestones is { } sm ? $";sparse_milestones={string.Join(",", sm.Select(d => d.ToString()))}" : "")
        + (HasEarlyArms ? $";early[{ConfigHash.Canonical(Early, new EarlyPhaseConfig(), f => f.PropertyPath)}]" : "");   // absent without early arms: older study folders stay valid

    public static string Fmt(double x) => x.ToString("R", CultureInfo.InvariantCulture);
}
