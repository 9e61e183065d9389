// The curriculum study's arms (issue: the seed's proposed fix and its controls; METHODS §7):
// each is sparse scratch with the same mask and init, trained for the same number of steps,
// differing only in which examples its batches are drawn from.
//   curriculum       lowest Fisher score first (the seed's proposal)
//   anti-curriculum  highest Fisher score first
//   random-pacing    a random order under the same pacing: separates "easy first" from
//                    "a smaller pool early" (Wu et al. 2021 found the latter does most of the work)
//   el2n-curriculum  lowest EL2N first (Paul et al. 2021), scored by short dense warm-ups
using SparseLab.Foundations;

namespace SparseLab.Studies;

/// <summary>How the study's curriculum arms score and pace (the scratch recipe is the study's).</summary>
public sealed record CurriculumStudyOptions
{
    public string Score { get; init; } = "fisher-true";
    public string Reference { get; init; } = "init";
    public string El2nReference { get; init; } = "warmup:1";
    public int ScoreRuns { get; init; } = 3;
    public string Pacing { get; init; } = "linear";
    public double PacingA { get; init; } = 0.5;
    public double PacingB { get; init; } = 0.2;
    public double PacingSp { get; init; } = 0.04;
    public double PacingInc { get; init; } = 1.9;
    public long PacingStep { get; init; } = 100;
    public bool BalanceClasses { get; init; }

    public string Canonical() => ConfigHash.Canonical(this);
}

public static class CurriculumArms
{
    public static IReadOnlyList<string> Names { get; } = ["curriculum", "anti-curriculum", "random-pacing", "el2n-curriculum"];

    public static bool IsArm(string method) => Names.Contains(method);

    /// <summary>The arm's config: the scratch config with its score, reference, order and the study's pacing.</summary>
    public static TrainConfig Apply(string arm, TrainConfig scratch, CurriculumStudyOptions o)
    {
        var paced = scratch with
        {
            Pacing = o.Pacing, PacingA = o.PacingA, PacingB = o.PacingB, PacingSp = o.PacingSp, PacingInc = o.PacingInc, PacingStep = o.PacingStep,
            BalanceClasses = o.BalanceClasses, ScoreRuns = o.ScoreRuns,
        };
        return arm switch
        {
            "curriculum" => paced with { Curriculum = o.Score, CurriculumReference = o.Reference, Order = "curriculum" },
            "anti-curriculum" => paced with { Curriculum = o.Score, CurriculumReference = o.Reference, Order = "anti" },
            "random-pacing" => paced with { Curriculum = "random", Order = "random" },
            "el2n-curriculum" => paced with { Curriculum = "el2n", CurriculumReference = o.El2nReference, Order = "curriculum" },
            _ => throw new ArgumentException($"'{arm}' is not a curriculum arm", nameof(arm)),
        };
    }
}
