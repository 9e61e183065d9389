// What the first t* optimizer steps of a run do differently (the seed's proposed fix, issue 23
// item 4): batches chosen from a uniformly drawn pool by a per-example score under the current
// weights (--early-select), and/or the Fisher penalty of Jastrzebski et al. 2021 added to the loss
// (--fisher-penalty). After t* the run is plain SGD on the plain loader's batches. Every field at
// its default leaves the run's hash unchanged.
using SparseLab.Foundations;

namespace SparseLab.EarlyPhase;

public sealed record EarlyPhaseConfig : IConfigRecord
{
    /// <summary>
    /// The length of the early phase: a tenth of the run, chosen by measurement (docs/studies/claims-settings-2026-12-07.md:
    /// at the ledger's fix setting 0.05 and 0.1 leave scratch's accuracy within the noise, 0.25 costs 0.6 points and 0.5 six).
    /// </summary>
    public static Duration DefaultSteps { get; } = Duration.Fraction(0.1);

    [Option("During the early phase each batch is the B examples of a uniform pool of K·B with the lowest true Fisher under the current weights " +
        "(fisher: ‖∇ℓ(x, ŷ)‖², ŷ ~ p_θ(·|x)), the highest (fisher-hard), the lowest loss (loss), or B at random (random: the same pool, a control).",
        Flag = "--early-select", Value = "NAME", OneOf = typeof(EarlySelection), HashName = "EarlySelect")]
    public string? Select { get; init; }

    [Option("Length t* of the early phase: a fraction of the run (0.1), steps (500it) or epochs (2ep). Default 0.1, by measurement: longer phases of low-Fisher batches cost accuracy (0.25: −0.6 points, 0.5: −6).",
        Flag = "--early-steps", Unit = DurationUnit.Fraction, HashName = "EarlySteps")]
    public Duration Steps { get; init; } = DefaultSteps;

    [Option("--early-select: the pool holds K batches' worth of examples (K·B, at most the training set), K ≥ 1; 2, 4 and 8 measured within the noise of each other.",
        Flag = "--early-pool", Value = "K", HashName = "EarlyPool")]
    public int PoolFactor { get; init; } = 4;

    [Option("Add λ·‖∇θ L_B(ŷ)‖² to the loss during the early phase, ŷ sampled from the model (the Fisher penalty, Jastrzebski et al. 2021); " +
        "trains on dense kernels (double backward). In a study: the fisher-penalty arm's λ, 0.1 when not given (0.01, 0.1 and 1 measured: none changed accuracy beyond the noise).", Flag = "--fisher-penalty", Value = "X", HashName = "FisherPenalty")]
    public double? Penalty { get; init; }

    /// <summary>Whether the early phase changes anything.</summary>
    public bool Used => Select is not null || Penalty is not null;

    public void Validate()
    {
        string F(string field) => ConfigError.Field(field);
        var d = new EarlyPhaseConfig();
        if (!Used)
        {
            foreach (var (set, field) in new[] { (Steps != d.Steps, nameof(Steps)), (PoolFactor != d.PoolFactor, nameof(PoolFactor)) })
                Check.That(!set, $"{F(field)} would be ignored: give {F(nameof(Select))} or {F(nameof(Penalty))}");
            return;
        }
        Check.That(Select is not null || PoolFactor == d.PoolFactor, $"{F(nameof(PoolFactor))} would be ignored: the pool is {F(nameof(Select))}'s; the Fisher penalty uses the plain batches");
        Check.That(Penalty is null || (Penalty > 0 && double.IsFinite(Penalty.Value)), nameof(Penalty), $"must be > 0, got {Check.Fmt(Penalty ?? 0)}");
        Check.That(PoolFactor >= 1, nameof(PoolFactor), $"must be at least 1 (a pool of K·B examples), got {PoolFactor}");
        Check.That(Steps.Value > 0, nameof(Steps), $"must be above 0, got {Steps}");
        Check.That(Steps.Unit != DurationUnit.Fraction || Steps.Value <= 1, nameof(Steps), $"{Steps} is longer than training: a fraction of the run must be in (0, 1]");
    }

    /// <summary>t* in optimizer steps for a run of <paramref name="totalSteps"/>; a ConfigError when it is longer than the run.</summary>
    public long EarlySteps(long stepsPerEpoch, long totalSteps)
    {
        long steps = Steps.ToSteps(stepsPerEpoch, totalSteps);
        Check.That(steps <= totalSteps, nameof(Steps), $"{Steps} ({steps} steps) is longer than training ({totalSteps} steps)");
        Check.That(steps >= 1, nameof(Steps), $"{Steps} is shorter than one step of a {totalSteps}-step run");
        return steps;
    }
}
