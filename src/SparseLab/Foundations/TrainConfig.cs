// The hyperparameters of one training run. The fields and their defaults are
// the schema: the CLI and YAML configs map onto this record, and its canonical
// string (ConfigHash) names the run folder.
namespace SparseLab.Foundations;

public sealed record TrainConfig
{
    public string Dataset { get; init; } = "fashion-mnist";
    [NotHashed] public string? DataDir { get; init; }
    public string Model { get; init; } = "lenet5";
    /// <summary>Channel multiplier for ResNets and VGGs.</summary>
    public double Width { get; init; } = 1.0;

    public int Epochs { get; init; } = 10;
    /// <summary>When set, training stops after this many optimizer steps instead of after Epochs.</summary>
    public long? Steps { get; init; }
    public int BatchSize { get; init; } = 128;

    public string Optimizer { get; init; } = "sgd";
    public double Lr { get; init; } = 0.05;
    public double Momentum { get; init; } = 0.9;
    public bool Nesterov { get; init; }
    public double WeightDecay { get; init; } = 5e-4;
    public double Beta1 { get; init; } = 0.9;
    public double Beta2 { get; init; } = 0.999;

    public string LrSchedule { get; init; } = "cosine";
    /// <summary>Epochs at which the step schedule multiplies the rate by Gamma.</summary>
    public int[] Milestones { get; init; } = [];
    public double Gamma { get; init; } = 0.1;
    public double WarmupEpochs { get; init; }

    /// <summary>Target sparsity over the prunable weights; 0 trains densely.</summary>
    public double Sparsity { get; init; }
    public string Criterion { get; init; } = "magnitude";
    public string Budget { get; init; } = "global";
    /// <summary>Per-layer sparsity overrides, "conv1.weight=0.5,fc3.weight=0".</summary>
    public string? LayerSparsity { get; init; }
    /// <summary>When the mask is chosen; "init" (before training) is the only point so far.</summary>
    public string PruneAt { get; init; } = "init";
    /// <summary>Labelled training batches that data-dependent criteria score on.</summary>
    public int ScoreBatches { get; init; } = 1;
    public bool KeepFirstDense { get; init; }
    public bool KeepLastDense { get; init; }
    public bool ForbidCollapse { get; init; }
    /// <summary>Train with this mask (a run folder or a mask/export .safetensors file) instead of pruning.</summary>
    public string? MaskFrom { get; init; }
    /// <summary>Start from these weights (a run folder, RUN:checkpoint, or a checkpoint file).</summary>
    public string? InitFrom { get; init; }

    /// <summary>How the mask changes during training (METHODS §4): none (fixed), gmp, set or rigl.</summary>
    public string Schedule { get; init; } = "none";
    /// <summary>Mask updates every ΔT optimizer steps (GMP's Δt; SET/RigL's ΔT).</summary>
    public int UpdateEvery { get; init; } = 100;
    /// <summary>First step of the update window (GMP's t0).</summary>
    public long UpdateStart { get; init; }
    /// <summary>Last step at which the mask may change (T_end); null: 75 % of training.</summary>
    public long? UpdateEnd { get; init; }
    /// <summary>SET/RigL: α, the fraction of active weights dropped (and regrown) at the first update, cosine-decayed to 0 at T_end.</summary>
    public double DropFraction { get; init; } = 0.3;
    /// <summary>GMP: sparsity s_i at the start of the window; Sparsity is s_f.</summary>
    public double InitialSparsity { get; init; }

    /// <summary>Rescale each unit's surviving initial weights by √(fan-in / surviving fan-in) (Evci et al. 2022).</summary>
    public bool RescaleInit { get; init; }

    public long Seed { get; init; } = 1;
    /// <summary>Seed of the weight initialization when it should differ from Seed (re-initialized sparse scratch).</summary>
    public long? InitSeed { get; init; }
    public long? LimitTrain { get; init; }
    public long? LimitTest { get; init; }
    /// <summary>Fraction of training labels replaced at random (seeded by Seed), for memorization studies.</summary>
    public double LabelNoise { get; init; }
    public long Val { get; init; }

    /// <summary>Curriculum score (METHODS §7): fisher-true, fisher-empirical, last-layer, el2n, loss, random or file:PATH[#COLUMN]; null trains on the plain order.</summary>
    public string? Curriculum { get; init; }
    /// <summary>The model that scores: init, warmup:K, self:K or run:DIR[:CHECKPOINT]; null picks init (warmup:1 for el2n).</summary>
    public string? CurriculumReference { get; init; }
    /// <summary>curriculum (lowest score first), anti (highest first) or random.</summary>
    public string Order { get; init; } = "curriculum";
    public bool BalanceClasses { get; init; }
    /// <summary>Pacing function; null: linear with a curriculum, none without.</summary>
    public string? Pacing { get; init; }
    public double PacingA { get; init; } = 0.5;
    public double PacingB { get; init; } = 0.2;
    public double PacingSp { get; init; } = 0.04;
    public double PacingInc { get; init; } = 1.9;
    public long PacingStep { get; init; } = 100;
    /// <summary>Warm-up runs EL2N scores are averaged over (Paul et al. 2021 average 10).</summary>
    public int ScoreRuns { get; init; } = 3;
    /// <summary>Where scores under shared references (warmup, run) and warm-up runs are cached; null: runs/score-cache.</summary>
    [NotHashed] public string? ScoreCache { get; init; }

    /// <summary>Log Fisher traces every K steps ("500") or at every epoch end ("epoch"); null: never. Observes only.</summary>
    [NotHashed] public string? FisherEvery { get; init; }
    [NotHashed] public int FisherSamples { get; init; } = 1024;
    [NotHashed] public int FisherDraws { get; init; } = 1;
    [NotHashed] public string FisherMethod { get; init; } = "fast";

    [NotHashed] public int Threads { get; init; }
    [NotHashed] public string Device { get; init; } = "cpu";

    public static IReadOnlyList<string> Optimizers { get; } = ["sgd", "adam"];
    public static IReadOnlyList<string> LrSchedules { get; } = ["constant", "step", "cosine"];
    public static IReadOnlyList<string> MaskSchedules { get; } = ["none", "gmp", "set", "rigl"];

    /// <summary>Whether the mask changes during training.</summary>
    public bool DynamicMask => Schedule != "none";

    /// <summary>Checks every field that can be checked without data; throws InvalidOptionException.</summary>
    public void Validate()
    {
        Require(Epochs > 0, $"--epochs {Epochs}: must be at least 1");
        Require(Steps is null or > 0, $"--steps {Steps}: must be at least 1");
        Require(BatchSize > 0, $"--batch-size {BatchSize}: must be at least 1");
        Require(double.IsFinite(Lr) && Lr > 0, $"--lr {Fmt(Lr)}: the learning rate must be a positive number");
        Require(Momentum is >= 0 and < 1, $"--momentum {Fmt(Momentum)}: must be in [0, 1)");
        Require(!Nesterov || Momentum > 0, "--nesterov needs --momentum above 0");
        Require(WeightDecay >= 0 && double.IsFinite(WeightDecay), $"--weight-decay {Fmt(WeightDecay)}: must be 0 or positive");
        Require(Beta1 is >= 0 and < 1 && Beta2 is >= 0 and < 1, "--beta1/--beta2 must be in [0, 1)");
        Require(Width > 0 && double.IsFinite(Width), $"--width {Fmt(Width)}: must be positive");
        Require(Optimizers.Contains(Optimizer), $"--optimizer '{Optimizer}' is not known; use one of: {string.Join(", ", Optimizers)}");
        Require(LrSchedules.Contains(LrSchedule), $"--lr-schedule '{LrSchedule}' is not known; use one of: {string.Join(", ", LrSchedules)}");
        Require(Gamma > 0 && Gamma <= 1, $"--gamma {Fmt(Gamma)}: must be in (0, 1]");
        Require(WarmupEpochs >= 0, $"--warmup-epochs {Fmt(WarmupEpochs)}: must be 0 or positive");
        Require(Milestones.All(m => m > 0) && Milestones.SequenceEqual(Milestones.Order().Distinct()),
            $"--milestones {string.Join(",", Milestones)}: must be increasing positive epochs");
        Require(Threads >= 0, $"--threads {Threads}: must be 0 (all cores) or positive");
        Require(Val >= 0, $"--val {Val}: must be 0 or positive");
        Require(Sparsity is >= 0 and < 1, $"--sparsity {Fmt(Sparsity)}: must be in [0, 1) (0.9 keeps 10 % of the prunable weights)");
        Require(LabelNoise is >= 0 and < 1, $"--label-noise {Fmt(LabelNoise)}: must be in [0, 1)");
        Require(FisherEvery is null || FisherEvery == "epoch" || (long.TryParse(FisherEvery, out var k) && k > 0),
            $"--fisher-every '{FisherEvery}': use a positive number of steps or 'epoch'");
        Require(FisherSamples > 0, $"--fisher-samples {FisherSamples}: must be at least 1");
        Require(FisherDraws > 0, $"--fisher-draws {FisherDraws}: must be at least 1");
        Require(FisherMethod is "fast" or "naive", $"--fisher-method '{FisherMethod}' is not known; use fast or naive");
        if (Curriculum is not null || Pacing is not null || Order != "curriculum" || BalanceClasses) ValidateCurriculum();
        Require(ScoreBatches >= 1, $"--score-batches {ScoreBatches}: must be at least 1");
        Require(PruneAt == "init", $"--prune-at '{PruneAt}' is not supported; use init (prune after training with `sparselab prune`)");
        ValidateSchedule();
        Require(Models.ModelRegistry.Names.Contains(Model), $"--model '{Model}' is not known; use one of: {string.Join(", ", Models.ModelRegistry.Names)}");
        Require(Data.DatasetCatalog.Names.Contains(Dataset), $"--dataset '{Dataset}' is not known; use one of: {string.Join(", ", Data.DatasetCatalog.Names)}");
    }

    /// <summary>The resolved pacing: linear by default with a curriculum.</summary>
    public Curriculum.PacingOptions PacingOptions =>
        new(Pacing ?? (Curriculum is null ? "none" : "linear"), PacingA, PacingB, PacingSp, PacingInc, PacingStep);

    private void ValidateCurriculum()
    {
        Require(Curriculum is not null, "--pacing, --order and --balance-classes need --curriculum: the score that orders the examples (random for a random order)");
        PacingOptions.Validate();
        Require(PacingOptions.Name != "none", "--pacing none trains on the plain data order; drop --curriculum, or choose a pacing such as linear");
        var spec = global::SparseLab.Curriculum.ScoreSpec.Parse(Curriculum!, CurriculumReference);
        Require(global::SparseLab.Curriculum.ExampleOrder.Names.Contains(Order), $"--order '{Order}' is not known; use one of: {string.Join(", ", global::SparseLab.Curriculum.ExampleOrder.Names)}");
        Require(ScoreRuns >= 1, $"--score-runs {ScoreRuns}: must be at least 1");
        Require(spec.Reference.Kind != "self" || spec.Reference.Epochs < Epochs || Steps is not null,
            $"--curriculum-reference {spec.Reference}: re-scoring every {spec.Reference.Epochs} epochs never happens in a {Epochs}-epoch run");
    }

    private void ValidateSchedule()
    {
        Require(MaskSchedules.Contains(Schedule), $"--schedule '{Schedule}' is not known; use one of: {string.Join(", ", MaskSchedules)}");
        if (Schedule == "none") return;
        Require(Sparsity > 0, $"--schedule {Schedule} needs a target --sparsity above 0 (e.g. 0.9)");
        Require(MaskFrom is null, $"--schedule {Schedule} chooses its own masks; drop --mask-from");
        Require(LayerSparsity is null, $"--layer-sparsity does not combine with --schedule {Schedule}: the schedule moves every layer's sparsity itself");
        Require(UpdateEvery > 0, $"--update-every {UpdateEvery}: the mask update interval ΔT must be at least 1 step");
        Require(UpdateStart >= 0, $"--update-start {UpdateStart}: must be 0 or a positive step");
        Require(UpdateEnd is null or > 0, $"--update-end {UpdateEnd}: T_end must be a positive step");
        Require(UpdateEnd is null || UpdateEnd > UpdateStart, $"--update-end {UpdateEnd} must come after --update-start {UpdateStart}");
        Require(Steps is null || UpdateEnd is null || UpdateEnd <= Steps,
            $"--update-end {UpdateEnd} is beyond the end of training (--steps {Steps}); use a step at most {Steps}");
        if (Schedule is "set" or "rigl")
            Require(DropFraction > 0 && DropFraction < 1, $"--drop-fraction {Fmt(DropFraction)}: α must be in (0, 1), e.g. 0.3");
        if (Schedule == "gmp")
            Require(InitialSparsity >= 0 && InitialSparsity < Sparsity,
                $"--initial-sparsity {Fmt(InitialSparsity)}: GMP's starting sparsity must be in [0, --sparsity {Fmt(Sparsity)})");
    }

    private static void Require(bool ok, string message)
    {
        if (!ok) throw new InvalidOptionException(message);
    }

    private static string Fmt(double x) => x.ToString("R", System.Globalization.CultureInfo.InvariantCulture);
}

/// <summary>Marks a config field that changes how a run executes, not what it computes: left out of the hash.</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class NotHashedAttribute : Attribute;
