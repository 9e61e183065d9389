// A data curriculum (METHODS §7): the per-example score, the model that
// scores, the order, and the pacing function that grows the pool of
// examples batches are drawn from.
using SparseLab.Foundations;

namespace SparseLab.Curriculum;

public sealed record CurriculumConfig : IConfigRecord
{
    [Option("Train with a data curriculum ordered by this per-example score, or by a score file: file:PATH[#COLUMN] (a CSV such as `fisher --scores` writes).",
        Flag = "--curriculum", Value = "SCORE", OneOf = typeof(ScoreSpec), HashName = "Curriculum", Reference = ReferenceKind.Prefixed)]
    public string? Score { get; init; }

    [Option("The model that scores: init (this run's initialization), warmup:K (a dense warm-up of K epochs; el2n's default is warmup:1), self:K (the current model, every K epochs) or run:DIR[:CHECKPOINT].",
        Flag = "--curriculum-reference", Value = "MODEL", HashName = "CurriculumReference", Reference = ReferenceKind.Prefixed, Requires = ["Score"])]
    public string? Reference { get; init; }

    [Option("curriculum (lowest score first), anti (highest first) or random.", OneOf = typeof(ExampleOrder))]
    public string Order { get; init; } = "curriculum";

    [Option("Keep every prefix of the order class-balanced.")]
    public bool BalanceClasses { get; init; }

    [Option("How the pool of easiest examples grows (default linear with --curriculum); none trains on the plain order.", OneOf = typeof(PacingOptions))]
    public string? Pacing { get; init; }

    [Option("When the pool reaches the whole set: a fraction of training (0.5), steps (2000it) or epochs (5ep).", Unit = DurationUnit.Fraction,
        Requires = ["Score", "Pacing!=fixed-exp"])]
    public Duration PacingA { get; init; } = Duration.Fraction(0.5);

    [Option("The starting pool as a fraction of the set, in (0, 1].", Value = "X", Requires = ["Score", "Pacing!=fixed-exp"])]
    public double PacingB { get; init; } = 0.2;

    [Option("fixed-exp: the starting fraction.", Value = "X", Requires = ["Pacing=fixed-exp"])]
    public double PacingSp { get; init; } = 0.04;

    [Option("fixed-exp: the growth factor, above 1.", Value = "X", Requires = ["Pacing=fixed-exp"])]
    public double PacingInc { get; init; } = 1.9;

    [Option("fixed-exp: steps between growths (100), or epochs (1ep), or a fraction of the run.", Requires = ["Pacing=fixed-exp"])]
    public Duration PacingStep { get; init; } = Duration.Steps(100);

    [Option("Warm-up runs EL2N scores are averaged over (Paul et al. 2021 average 10).", Requires = ["Score=el2n or Methods=el2n-curriculum"])]   // Methods: a study's
    public int ScoreRuns { get; init; } = 3;

    [Option("Cache of warm-up runs and shared scores (default runs/score-cache).", Value = "DIR", IsPath = true)]
    [NotHashed]
    public string? ScoreCache { get; init; }

    /// <summary>Whether any curriculum option is set (they all need --curriculum).</summary>
    public bool Used => Score is not null || Pacing is not null || Order != "curriculum" || BalanceClasses;

    /// <summary>The pacing in force: linear by default with a curriculum, none without.</summary>
    public string PacingName => Pacing ?? (Score is null ? "none" : "linear");

    public void Validate()
    {
        if (!Used) return;
        Check.That(Score is not null,
            $"{ConfigError.Field(nameof(Pacing))}, {ConfigError.Field(nameof(Order))} and {ConfigError.Field(nameof(BalanceClasses))} need {ConfigError.Field(nameof(Score))}: the score that orders the examples (random for a random order)");
        Check.That(PacingName != "none", $"{ConfigError.Field(nameof(Pacing))} none trains on the plain data order; drop {ConfigError.Field(nameof(Score))}, or choose a pacing such as linear");
        Check.Positive(ScoreRuns, nameof(ScoreRuns));
        Check.That(PacingA.Value > 0, nameof(PacingA), $"must be above 0, got {PacingA}");
        Check.That(PacingB is > 0 and <= 1, nameof(PacingB), $"the starting fraction must be in (0, 1], got {Check.Fmt(PacingB)}");
        Check.That(PacingSp is > 0 and <= 1, nameof(PacingSp), $"the starting fraction must be in (0, 1], got {Check.Fmt(PacingSp)}");
        Check.That(PacingInc > 1, nameof(PacingInc), $"the growth factor must be above 1, got {Check.Fmt(PacingInc)}");
        Check.That(!PacingStep.IsZero, nameof(PacingStep), "must be at least 1 step");
        ScoreSpec.Parse(Score!, Reference);
    }
}
