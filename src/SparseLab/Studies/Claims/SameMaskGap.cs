// C1: with the same mask, sparse finetuning generalizes better than sparse
// scratch (Evci et al. 2020; the seed's first figure).
namespace SparseLab.Studies.Claims;

public sealed class SameMaskGap : Claim
{
    /// <summary>Test gaps inside ±this (a fraction: 0.5 points) with a tight interval count as "no gap".</summary>
    public const double Margin = 0.005;

    public override string Id => "C1";
    public override string Title => "the same-mask gap: finetune > scratch";
    public override string SeedWords => "even with the same pruning mask (the only difference lies in their initializations, Init-S and Init-F), " +
                                        "[sparse scratch] still performs worse than [sparse finetuning]";
    public override string SeedEvidence => "ResNet-32 on CIFAR-100 (Ye et al. 2022, Fig. 1): scratch below finetune at every sparsity 0.8–0.98, " +
                                           "by 2–2.7 points at 0.8–0.9";
    public override string Study => ClaimStudies.Gap;
    public override string Rule => "test accuracy finetune − scratch, paired by seed, at each sparsity: holds where the 95 % interval is above 0 " +
                                   "(and nowhere below), reverses where below, does not hold here where it lies within ±0.5 points";

    public override IEnumerable<ClaimRow> Judge(GapStudyResult result)
    {
        var cells = result.Regimes.OrderBy(g => g.Sparsity).ToList();
        var verdicts = cells.Select(g => Verdicts.Directional(g.TestGap, Margin)).ToList();
        string measurement = string.Join("; ", cells.Select(g => $"{Verdicts.Sparsity(g.Sparsity)}: {Verdicts.Points(g.TestGap)}"));
        var headline = cells.OrderByDescending(g => g.TestGap.Mean).FirstOrDefault();
        string verdict = Verdicts.Combine(verdicts);
        string why = headline is null ? "no sparsity was measured"
            : $"the gap is beyond the noise at {Count(verdicts, Verdicts.Holds)} of {cells.Count} sparsities, reversed at {Count(verdicts, Verdicts.Reverses)}";
        yield return Row(verdict, $"test gap (points) {measurement}", why, headline?.TestGap.N ?? 0, headline?.TestGap);
    }

    private static int Count(IEnumerable<string> verdicts, string v) => verdicts.Count(x => x == v);
}
