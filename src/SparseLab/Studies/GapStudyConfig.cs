// The gap study's settings (the seed's experiment, METHODS §1 and §5): the
// dense training recipe, the sparsities and seeds, how masks are chosen, the
// methods compared, the finetuning recipe, how scratch is initialized, and
// the linear paths. Its canonical string guards a study folder.
using System.Globalization;
using SparseLab.Foundations;

namespace SparseLab.Studies;

public sealed record GapStudyConfig
{
    /// <summary>The dense recipe; scratch runs use it too (Seed is set per seed).</summary>
    public TrainConfig Train { get; init; } = new();
    public double[] Sparsities { get; init; } = [0.5, 0.8, 0.9, 0.95, 0.98];
    public int Seeds { get; init; } = 3;
    public string Criterion { get; init; } = "magnitude";
    public string Budget { get; init; } = "global";
    /// <summary>finetune, scratch, optional controls scratch-random, scratch-snip, scratch-grasp, scratch-synflow, and the schedules imp, gmp, set, rigl.</summary>
    public string[] Methods { get; init; } = ["finetune", "scratch"];
    /// <summary>IMP: fraction of the remaining weights removed per level, and the rewind point (0, Kit or Kep).</summary>
    public double ImpRate { get; init; } = 0.2;
    public string Rewind { get; init; } = "0";
    public int? FinetuneEpochs { get; init; }
    public double? FinetuneLr { get; init; }
    /// <summary>original (Init-D ⊙ M, the seed's setting), reinit (a fresh init ⊙ M) or scaled (original, rescaled per unit).</summary>
    public string ScratchInit { get; init; } = "original";
    public int PathPoints { get; init; } = 29;
    public string PathBn { get; init; } = "recompute";
    /// <summary>Training and test examples the paths are evaluated on (the first ones).</summary>
    public long PathTrainExamples { get; init; } = 10_000;
    public long PathTestExamples { get; init; } = 10_000;
    public double RegimeThreshold { get; init; } = 0.01;
    /// <summary>Track Fisher traces through every run (at each epoch end unless Train.FisherEvery says otherwise).</summary>
    public bool Fisher { get; init; } = true;
    /// <summary>Measure the curvature of every Sol-S and Sol-F.</summary>
    public bool Curvature { get; init; } = true;
    public int CurvatureSamples { get; init; } = 512;
    /// <summary>How the curriculum arms (curriculum, anti-curriculum, random-pacing, el2n-curriculum) score and pace.</summary>
    public CurriculumStudyOptions Curriculum { get; init; } = new();

    /// <summary>Methods that reach the sparsity with their own schedule (METHODS §4) rather than with Sol-D's mask.</summary>
    public static IReadOnlyList<string> ScheduleMethods { get; } = ["imp", "gmp", "set", "rigl"];
    // After ScheduleMethods: static initializers run in order.
    public static IReadOnlyList<string> KnownMethods { get; } = ["finetune", "scratch", "scratch-random", "scratch-snip", "scratch-grasp", "scratch-synflow", .. ScheduleMethods, .. CurriculumArms.Names];
    /// <summary>The single-run schedules among them (TrainConfig.Schedule).</summary>
    public static bool IsSingleRunSchedule(string method) => method is "gmp" or "set" or "rigl";

    public bool HasCurriculumArms => Methods.Any(CurriculumArms.IsArm);
    public static IReadOnlyList<string> ScratchInits { get; } = ["original", "reinit", "scaled"];

    public int EffectiveFinetuneEpochs => FinetuneEpochs ?? Train.Epochs;
    public double EffectiveFinetuneLr => FinetuneLr ?? Train.Lr;
    public IEnumerable<long> SeedValues => Enumerable.Range(1, Seeds).Select(i => (long)i);

    public void Validate()
    {
        if (Train.Schedule != "none")
            throw new InvalidOptionException("study gap runs the schedules itself: drop --schedule and list them in --methods (e.g. scratch,finetune,gmp,set,rigl)");
        Train.Validate();
        if (Train.Sparsity != 0 || Train.MaskFrom is not null || Train.InitFrom is not null)
            throw new InvalidOptionException("study gap chooses masks and initializations itself: drop --sparsity, --mask-from and --init-from (use --sparsities)");
        if (Sparsities.Length == 0)
            throw new InvalidOptionException("--sparsities is empty; give a list such as 0.5,0.9,0.98");
        foreach (var s in Sparsities)
            if (s is <= 0 or >= 1 || double.IsNaN(s))
                throw new InvalidOptionException($"--sparsities: {Fmt(s)} is outside (0, 1)");
        var dup = Sparsities.GroupBy(s => s).FirstOrDefault(g => g.Count() > 1);
        if (dup is not null)
            throw new InvalidOptionException($"--sparsities lists {Fmt(dup.Key)} more than once");
        if (Seeds < 1)
            throw new InvalidOptionException($"--seeds {Seeds}: need at least 1 seed (3 or more for confidence intervals)");
        foreach (var m in Methods)
            if (!KnownMethods.Contains(m))
                throw new InvalidOptionException($"--methods: '{m}' is not known; use any of: {string.Join(", ", KnownMethods)}");
        if (!Methods.Contains("finetune") || !Methods.Contains("scratch"))
            throw new InvalidOptionException("--methods must include finetune and scratch: the study compares them");
        if (Methods.Contains("imp"))
        {
            if (!(ImpRate > 0 && ImpRate < 1))
                throw new InvalidOptionException($"--imp-rate {Fmt(ImpRate)}: the fraction of remaining weights IMP removes per level must be in (0, 1), e.g. 0.2");
            Schedules.ImpPlan.Make(ImpRate, null, Sparsities);
            Schedules.RewindPoint.Parse(Rewind);
        }
        if (!ScratchInits.Contains(ScratchInit))
            throw new InvalidOptionException($"--scratch-init '{ScratchInit}' is not known; use original, reinit or scaled");
        if (FinetuneEpochs is < 1) throw new InvalidOptionException($"--finetune-epochs {FinetuneEpochs}: must be at least 1");
        if (FinetuneLr is not null && !(FinetuneLr > 0)) throw new InvalidOptionException($"--finetune-lr {FinetuneLr}: must be positive");
        if (PathPoints is < 2 and not 0) throw new InvalidOptionException($"--points {PathPoints}: need at least 2 (0 skips the paths)");
        if (PathBn is not ("recompute" or "copy")) throw new InvalidOptionException($"--bn '{PathBn}' is not known; use recompute or copy");
        if (RegimeThreshold is <= 0 or >= 1) throw new InvalidOptionException($"--regime-threshold {Fmt(RegimeThreshold)}: must be in (0, 1)");
        if (CurvatureSamples < 1) throw new InvalidOptionException($"--curvature-samples {CurvatureSamples}: must be at least 1");
        if (PathTrainExamples < 1 || PathTestExamples < 1) throw new InvalidOptionException("--path-train/--path-test must be at least 1");
        foreach (var arm in Methods.Where(CurriculumArms.IsArm))   // every arm's options, checked before any run
            CurriculumArms.Apply(arm, Train, Curriculum).Validate();
    }

    /// <summary>Everything that changes the study's numbers, as one string.</summary>
    public string Canonical() => string.Join(";",
        $"train[{ConfigHash.Canonical(Train)}]",
        $"sparsities={string.Join(",", Sparsities.Select(Fmt))}", $"seeds={Seeds}", $"criterion={Criterion}", $"budget={Budget}",
        $"methods={string.Join(",", Methods)}", $"finetune={EffectiveFinetuneEpochs}@{Fmt(EffectiveFinetuneLr)}", $"scratch_init={ScratchInit}",
        $"paths={PathPoints}/{PathBn}/{PathTrainExamples}/{PathTestExamples}", $"regime={Fmt(RegimeThreshold)}")
        + (Methods.Contains("imp") ? $";imp={Fmt(ImpRate)}@{Rewind}" : "")   // absent without imp: older study folders stay valid
        + (HasCurriculumArms ? $";curriculum[{Curriculum.Canonical()}]" : "");

    public static string Fmt(double x) => x.ToString("R", CultureInfo.InvariantCulture);
}
