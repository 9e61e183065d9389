// Ye et al. 2022's Table 2 as a paired comparison: at every sparsity and for
// every probe measure, each solution against Sol-F of the same seed, as the
// geometric mean of the per-seed ratios with a 95 % interval on the log scale.
// Generic over methods: scratch, lottery, any other Baseline method the study
// ran, and Sol-D (its sparsity-0 row paired with every sparsity's Sol-F).
using SparseLab.Reporting;
using SparseLab.Studies.Methods;

namespace SparseLab.Studies;

public static class SolutionComparison
{
    /// <summary>The probe measures, by their study.json name, in the order tables show them.</summary>
    public static IReadOnlyList<(string Name, Func<CurvatureRow, double?> Value)> Metrics { get; } =
    [
        ("fisher_trace", r => r.FisherTrace),
        ("hessian_trace", r => r.HessianTrace),
        ("top_eigenvalue", r => r.TopEigenvalue),
        ("jacobian_norm", r => r.JacobianNorm),
        ("prediction_entropy", r => r.PredictionEntropy),
    ];

    public static IReadOnlyList<SolutionRatio> Build(IReadOnlyList<CurvatureRow> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var ratios = new List<SolutionRatio>();
        foreach (double s in rows.Where(r => r.Method == Finetune.Id).Select(r => r.Sparsity).Distinct().Order())
        {
            var finetune = BySeed(rows.Where(r => r.Sparsity == s && r.Method == Finetune.Id));
            var methods = rows.Where(r => r.Method == DenseRun.Name || (r.Sparsity == s && r.Method != Finetune.Id))
                .Select(r => r.Method).Distinct().OrderBy(StudyMethods.Rank).ThenBy(m => m, StringComparer.Ordinal);
            foreach (string method in methods)
            {
                var other = BySeed(rows.Where(r => r.Method == method && (method == DenseRun.Name || r.Sparsity == s)));
                foreach (var (metric, value) in Metrics)
                {
                    var pairs = other.Keys.Where(finetune.ContainsKey).Order()
                        .Select(seed => (A: value(other[seed]), B: value(finetune[seed]))).Where(p => p.A is not null && p.B is not null).ToList();
                    var positive = pairs.Where(p => p.A > 0 && p.B > 0 && double.IsFinite(p.A!.Value) && double.IsFinite(p.B!.Value)).ToList();
                    if (positive.Count == 0) continue;
                    ratios.Add(new SolutionRatio(s, metric, method, Finetune.Id,
                        Statistics.GeometricRatio([.. positive.Select(p => p.A!.Value)], [.. positive.Select(p => p.B!.Value)]), pairs.Count - positive.Count));
                }
            }
        }
        return ratios;
    }

    private static Dictionary<long, CurvatureRow> BySeed(IEnumerable<CurvatureRow> rows) =>
        rows.GroupBy(r => r.Seed).ToDictionary(g => g.Key, g => g.Last());
}
