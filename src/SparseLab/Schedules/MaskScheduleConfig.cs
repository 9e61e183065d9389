// How a run's mask changes during training (METHODS §4): fixed, gradual
// magnitude pruning, or drop and grow (SET, RigL), and when it may change.
using SparseLab.Foundations;

namespace SparseLab.Schedules;

public sealed record MaskScheduleConfig : IConfigRecord
{
    [Option("How the mask changes during training: none (fixed), gmp (gradual magnitude pruning to --sparsity), set or rigl (drop and grow; a random ERK start mask unless --criterion/--budget say otherwise).",
        Flag = "--schedule", OneOf = typeof(MaskSchedules), HashName = "Schedule")]
    public string Kind { get; init; } = "none";

    // In a study the schedules are methods (Methods, the study's): a condition on Kind, which the study sets itself, gives way to it.
    private const string Scheduled = "Kind=gmp|set|rigl or Methods=gmp|set|rigl";

    [Option("Mask update interval ΔT: steps (100), epochs (1ep) or a fraction of the run.", Requires = [Scheduled])]
    public Duration UpdateEvery { get; init; } = Duration.Steps(100);

    [Option("First step of the update window, GMP's t0: a step, 2ep, or a fraction of the run.", Requires = [Scheduled])]
    public Duration UpdateStart { get; init; } = Duration.Steps(0);

    [Option("T_end, the last step at which the mask may change: a step, 8ep, or a fraction of the run (default 0.75: 75 % of training).", Requires = [Scheduled])]
    public Duration? UpdateEnd { get; init; }

    [Option("SET/RigL: the fraction α of active weights dropped and regrown at the first update, cosine-decayed to 0 at T_end.", Value = "A",
        Requires = ["Kind=set|rigl or Methods=set|rigl"])]
    public double DropFraction { get; init; } = 0.3;

    [Option("GMP: the sparsity at the start of the window (0: dense).", Value = "S", Requires = ["Kind=gmp or Methods=gmp"])]
    public double InitialSparsity { get; init; }

    public bool Dynamic => Kind != "none";

    public void Validate()
    {
        if (!Dynamic) return;
        Check.That(!UpdateEvery.IsZero, nameof(UpdateEvery), "must be at least 1 step");
        if (MaskSchedules.DropsAndGrows(Kind))
            Check.That(DropFraction is > 0 and < 1, nameof(DropFraction), $"must be in (0, 1), e.g. 0.3; got {Check.Fmt(DropFraction)}");
    }
}
