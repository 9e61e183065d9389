// Iterative magnitude pruning's settings (Frankle & Carbin 2019; Frankle et
// al. 2020; METHODS §4): how much each level prunes and where survivors are
// rewound to, shared by `imp` and the gap study's imp method; and the `imp`
// command's dense recipe, levels and targets.
using SparseLab.Foundations;
using SparseLab.Training;

namespace SparseLab.Schedules;

public sealed record ImpPruning : IConfigRecord
{
    [Option("IMP: the fraction of the remaining weights removed per level, by global magnitude; a level that would pass a target stops on it.",
        Flag = "--prune-rate", Value = "P")]
    public double Rate { get; init; } = 0.2;

    [Option("IMP: where survivors are rewound to: 0 (the original initialization), after K steps (500it) or K epochs (2ep) of the dense run, or a fraction of it (0.1).",
        Value = "POINT")]
    public Duration Rewind { get; init; } = Duration.Steps(0);

    /// <summary>The checkpoint of the dense level the survivors rewind to: "init" for 0.</summary>
    public string RewindCheckpoint => Rewind.IsZero ? "init" : $"rewind-{Rewind}";

    public void Validate() =>
        Check.That(Rate is > 0 and < 1, nameof(Rate), $"the fraction of remaining weights removed per level must be in (0, 1), e.g. 0.2; got {Check.Fmt(Rate)}");

    /// <summary>The optimizer step to rewind to; refuses one past the end of training.</summary>
    public long RewindStep(long stepsPerEpoch, long totalSteps)
    {
        long step = Rewind.ToSteps(stepsPerEpoch, totalSteps);
        Check.That(step <= totalSteps, nameof(Rewind), $"{Rewind}: step {step} is past the end of training ({totalSteps} steps); rewind to an earlier point");
        return step;
    }
}

public sealed record ImpConfig : IConfigRecord
{
    /// <summary>The dense recipe every level trains with.</summary>
    public TrainConfig Train { get; init; } = new();

    public ImpPruning Pruning { get; init; } = new();

    [Option("Pruning levels after the dense level 0 (default: as many as the largest target needs).")]
    public int? Levels { get; init; }

    [Option("Sparsities to reach, e.g. 0.9,0.98: a level that would pass one stops exactly on it.", Value = "LIST")]
    public double[] Targets { get; init; } = [];

    public void Validate()
    {
        Check.Section(Train, nameof(Train));
        Check.Section(Pruning, nameof(Pruning));
        Check.That(Train.Sparsity.Target == 0 && Train.Sparsity.MaskFrom is null && Train.Model.InitFrom is null && !Train.DynamicMask,
            $"imp chooses every level's mask and starting weights itself: drop {ConfigError.Field("Train.Sparsity.Target")} (use {ConfigError.Field(nameof(Targets))}), " +
            $"{ConfigError.Field("Train.Sparsity.MaskFrom")}, {ConfigError.Field("Train.Model.InitFrom")} and {ConfigError.Field("Train.MaskSchedule.Kind")}");
        Plan();
    }

    public ImpPlan Plan() => ImpPlan.Make(Pruning.Rate, Levels, Targets, new ImpPlan.Fields("Pruning.Rate", nameof(Levels), nameof(Targets)));
}
