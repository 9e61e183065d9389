// C1: with the same mask, sparse finetuning generalizes better than sparse
// scratch (Evci et al. 2020; the seed's first figure). Judged over the
// sparsities of the seed's range (0.8–0.98) when the study has any, and
// against the seed's effect size: a gap whose interval stays below half the
// seed's smallest (1 point) is one the seed's claim does not describe.
namespace SparseLab.Studies.Claims;

public sealed class SameMaskGap : Claim
{
    /// <summary>The seed's range of sparsities, where its claim is made.</summary>
    public const double SeedLow = 0.8, SeedHigh = 0.98;
    /// <summary>Half the seed's smallest gap (2 points at 0.8–0.9): an interval below it rules the seed's effect out.</summary>
    public const double SeedHalfEffect = 0.01;

    public override string Id => "C1";
    public override string Title => "the same-mask gap: finetune > scratch";
    public override string SeedWords => "even with the same pruning mask (the only difference lies in their initializations, Init-S and Init-F), " +
                                        "[sparse scratch] still performs worse than [sparse finetuning]";
    public override string SeedEvidence => "ResNet-32 on CIFAR-100 (Ye et al. 2022, Fig. 1): scratch below finetune at every sparsity 0.8–0.98, " +
                                           "by 2–2.7 points at 0.8–0.9";
    public override string Study => ClaimStudies.Gap;
    public override string Rule => "test accuracy finetune − scratch, paired by seed, at each sparsity of the seed's range 0.8–0.98 (all sparsities " +
                                   "when none is in it): holds where the 95 % interval is above 0, reverses where below, does not hold here where " +
                                   "its upper end is below +1 point (half the seed's smallest gap); the claim holds if it holds somewhere and " +
                                   "reverses nowhere, does not hold here if it does not hold at every sparsity";

    /// <summary>One sparsity's verdict: the interval against 0 and against half the seed's effect.</summary>
    public static string Verdict(Estimate gap) =>
        gap.N < 2 ? Verdicts.Undetermined
        : gap.CiLow > 0 ? Verdicts.Holds
        : gap.CiHigh < 0 ? Verdicts.Reverses
        : gap.CiHigh < SeedHalfEffect ? Verdicts.DoesNotHold
        : Verdicts.Undetermined;

    public override IEnumerable<ClaimRow> Judge(GapStudyResult result)
    {
        var all = result.Regimes.OrderBy(g => g.Sparsity).ToList();
        var judged = all.Where(g => g.Sparsity is >= SeedLow and <= SeedHigh).ToList();
        if (judged.Count == 0) judged = all;
        var verdicts = judged.Select(g => Verdict(g.TestGap)).ToList();
        string measurement = "test gap (points) " + string.Join("; ", all.Select(g =>
            $"{Verdicts.Sparsity(g.Sparsity)}: {Verdicts.Points(g.TestGap)} ({g.Regime} regime){(judged.Contains(g) ? "" : ", outside the seed's range")}"));
        var headline = judged.OrderByDescending(g => g.TestGap.Mean).FirstOrDefault();
        string verdict = Verdicts.Combine(verdicts);
        var outside = all.Except(judged).Where(g => Verdict(g.TestGap) == Verdicts.Holds).ToList();
        string why = headline is null ? "no sparsity was measured"
            : $"in the seed's range the gap is beyond the noise at {Count(verdicts, Verdicts.Holds)} of {judged.Count} sparsities, reversed at " +
              $"{Count(verdicts, Verdicts.Reverses)}, and below half the seed's effect at {Count(verdicts, Verdicts.DoesNotHold)}" +
              (outside.Count > 0 ? $"; beyond it the gap shows at {string.Join(", ", outside.Select(g => $"{Verdicts.Sparsity(g.Sparsity)} ({g.Regime} regime)"))}" : "");
        yield return Row(verdict, measurement, why, headline?.TestGap.N ?? 0, headline?.TestGap,
            key: headline is null ? "" : $"{Verdicts.Points(headline.TestGap)} points at {Verdicts.Sparsity(headline.Sparsity)} (the largest in 0.8–0.98)");
    }

    private static int Count(IEnumerable<string> verdicts, string v) => verdicts.Count(x => x == v);
}
