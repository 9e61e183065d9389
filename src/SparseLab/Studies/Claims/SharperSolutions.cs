// C4: sparse scratch's solution has higher Fisher information, a larger
// Hessian trace, a larger input-Jacobian norm and a higher prediction entropy
// than sparse finetuning's (Ye et al. 2022, Table 2). One row per measure:
// the ratio scratch / finetune, paired by seed, as a geometric mean with a
// 95 % interval on the log scale (Studies/SolutionComparison).
namespace SparseLab.Studies.Claims;

public sealed class SharperSolutions : Claim
{
    /// <summary>Ratios whose interval lies within [1/this, this] count as equal.</summary>
    public const double Margin = 1.1;

    /// <summary>The measures of the paper's Table 2, by their study.json name, and how the ledger names them.</summary>
    public static IReadOnlyList<(string Metric, string Name)> Measures { get; } =
    [
        ("fisher_trace", "the true Fisher trace"),
        ("hessian_trace", "the Hessian trace"),
        ("jacobian_norm", "the input-Jacobian norm"),
        ("prediction_entropy", "the prediction entropy"),
    ];

    public override string Id => "C4";
    public override string Title => "scratch's solution is sharper than finetune's";
    public override string SeedWords => "the Fisher information for sparse scratch is much higher than that of sparse finetuning [at the solutions, with " +
                                        "higher Hessian trace, input-Jacobian norm and prediction entropy]";
    public override string SeedEvidence => "ResNet-32 on CIFAR-100 (Ye et al. 2022, Table 2): Monte-Carlo true Fisher trace Sol-S vs Sol-F 2,702 vs 543 at 90 %, " +
                                           "9,841 vs 2,574 at 94 %, 15,819 vs 4,376 at 96 % (dense 53.8); Hessian trace, Jacobian norm and entropy higher for scratch";
    public override string Study => ClaimStudies.Gap;
    public override string Rule => "per measure, the ratio scratch / finetune paired by seed (geometric mean, 95 % interval on the log scale) at each " +
                                   "sparsity: holds where the interval is above 1 (and nowhere below), reverses where below, does not hold here where it " +
                                   "lies within [1/1.1, 1.1]";

    public override IEnumerable<ClaimRow> Judge(GapStudyResult result)
    {
        foreach (var (metric, name) in Measures)
        {
            var ratios = (result.SolutionRatios ?? []).Where(r => r.Metric == metric && r.Method == Methods.Scratch.Id && r.Ratio.CiLow is not null)
                .OrderBy(r => r.Sparsity).ToList();
            string id = $"C4 {metric.Replace('_', '-')}", title = $"{name} is higher at Sol-S than at Sol-F";
            if (ratios.Count == 0)
            {
                yield return Row(Verdicts.Undetermined, "not measured", "the study measured no solution probes (--no-curvature) or has one seed", 0, id: id, title: title);
                continue;
            }
            var verdicts = ratios.Select(r => Verdict(r.Ratio)).ToList();
            string verdict = Verdicts.Combine(verdicts);
            // The key number: a sparsity whose own verdict is the claim's (the largest such ratio), else the largest ratio.
            var agreeing = ratios.Where((r, i) => verdicts[i] == verdict).ToList();
            var headline = (agreeing.Count > 0 ? agreeing : ratios).OrderByDescending(r => Math.Abs(Math.Log(r.Ratio.Ratio))).First();
            string dense = (result.SolutionRatios ?? []).FirstOrDefault(r => r.Metric == metric && r.Method == Methods.DenseRun.Name && r.Sparsity == headline.Sparsity)
                is { } d ? $"; dense / finetune at {Verdicts.Sparsity(d.Sparsity)} {Format(d.Ratio)}" : "";
            yield return Row(verdict,
                "scratch / finetune " + string.Join("; ", ratios.Select(r => $"{Verdicts.Sparsity(r.Sparsity)}: {Format(r.Ratio)}")) + dense,
                $"above 1 at {verdicts.Count(v => v == Verdicts.Holds)} of {ratios.Count} sparsities, below at {verdicts.Count(v => v == Verdicts.Reverses)}",
                headline.Ratio.N, id: id, title: title, key: $"{Format(headline.Ratio)} at {Verdicts.Sparsity(headline.Sparsity)}");
        }
    }

    private static string Verdict(RatioEstimate r) =>
        r.N < 2 || r.CiLow is null || r.CiHigh is null ? Verdicts.Undetermined
        : r.CiLow > 1 ? Verdicts.Holds
        : r.CiHigh < 1 ? Verdicts.Reverses
        : r.CiLow >= 1 / Margin && r.CiHigh <= Margin ? Verdicts.DoesNotHold
        : Verdicts.Undetermined;

    private static string Format(RatioEstimate r) => r.CiLow is null ? $"{r.Ratio:0.00}×" : $"{r.Ratio:0.00}× [{r.CiLow:0.00}, {r.CiHigh:0.00}]";
}
