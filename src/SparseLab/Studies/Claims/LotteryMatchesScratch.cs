// C7: the lottery arm (Init-D ⊙ M) does no better than sparse scratch (a
// fresh init ⊙ M) at these scales — Evci et al. 2020 report Lottery ≈
// Scratch < Pruned; the seed's code has both as modes (lottery, sparse-scratch).
namespace SparseLab.Studies.Claims;

public sealed class LotteryMatchesScratch : Claim
{
    /// <summary>Differences within ±this (a fraction: 1 point) count as equal.</summary>
    public const double Margin = 0.01;

    public override string Id => "C7";
    public override string Title => "lottery ≈ scratch";
    public override string SeedWords => "Lottery ≈ Scratch < Pruned (Evci et al. 2020, which the seed builds on; the seed's code runs both as " +
                                        "`lottery` and `sparse-scratch`)";
    public override string SeedEvidence => "Evci et al. 2020 (ResNet-50 on ImageNet, 80–90 %): lottery and scratch within about a point, both below pruning";
    public override string Study => ClaimStudies.Gap;
    public override string Rule => "test accuracy lottery − scratch, paired by seed, at each sparsity: holds when every 95 % interval lies within " +
                                   "±1 point; does not hold here when some interval lies wholly outside 0 by more than that; undetermined otherwise";

    public override IEnumerable<ClaimRow> Judge(GapStudyResult result)
    {
        var cells = PairedRows.Sparsities(result)
            .Select(s => (Sparsity: s, Gap: PairedRows.Difference(result, s, Methods.Lottery.Id, Methods.Scratch.Id, r => r.TestAccuracy)))
            .Where(c => c.Gap is not null).Select(c => (c.Sparsity, Gap: c.Gap!)).ToList();
        if (cells.Count == 0)
        {
            yield return Row(Verdicts.Undetermined, "the study has no lottery runs", "add lottery to --methods", 0);
            yield break;
        }
        bool equal = cells.All(c => c.Gap.N >= 2 && c.Gap.CiLow >= -Margin && c.Gap.CiHigh <= Margin);
        var apart = cells.Where(c => c.Gap.N >= 2 && (c.Gap.CiLow > Margin || c.Gap.CiHigh < -Margin)).ToList();
        string verdict = equal ? Verdicts.Holds : apart.Count > 0 ? Verdicts.DoesNotHold : Verdicts.Undetermined;
        string why = equal ? "every interval lies within ±1 point"
            : apart.Count > 0 ? $"lottery and scratch differ by more than a point at {string.Join(", ", apart.Select(c => Verdicts.Sparsity(c.Sparsity)))}"
            : "some interval reaches past ±1 point without excluding 0: more seeds would tell";
        var headline = cells.OrderByDescending(c => Math.Abs(c.Gap.Mean)).First();
        yield return Row(verdict, "test lottery − scratch (points) " + string.Join("; ", cells.Select(c => $"{Verdicts.Sparsity(c.Sparsity)}: {Verdicts.Points(c.Gap)}")),
            why, headline.Gap.N, headline.Gap);
    }
}
