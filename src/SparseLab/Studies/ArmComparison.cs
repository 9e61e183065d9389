// Per sparsity, every method as an arm (the dense run included: its one row per
// seed stands beside every sparsity) on a metric that may be missing from some
// runs: mean, 95 % interval and median over seeds, and the paired gap to sparse
// finetuning of the same seed. The memorization table is made of these.
using SparseLab.Reporting;
using SparseLab.Studies.Methods;

namespace SparseLab.Studies;

/// <summary>One metric of one arm at one sparsity: its value over seeds and its gap arm − finetune, paired by seed (null for finetune itself, or no common seed).</summary>
public sealed record ArmMetric(double Sparsity, string Method, string Metric, Estimate Value, Estimate? GapVsFinetune);

public static class ArmComparison
{
    /// <summary>The metrics under --label-noise, by their study.json name: clean test accuracy, clean-train accuracy, memorized, generalized.</summary>
    public static IReadOnlyList<(string Name, Func<StudyRow, double?> Value)> MemorizationMetrics { get; } =
    [
        ("test_accuracy", r => r.TestAccuracy),
        ("train_accuracy_clean", r => r.TrainAccuracyClean),
        ("memorized_fraction", r => r.MemorizedFraction ?? r.TrainAccuracyNoisy),   // older rows: the same number under its older name
        ("generalized_fraction", r => r.GeneralizedFraction),
    ];

    /// <summary>The memorization table, or null when no run trained with label noise.</summary>
    public static IReadOnlyList<ArmMetric>? Memorization(IReadOnlyList<StudyRow> rows) =>
        rows.Any(r => r.TrainAccuracyClean is not null || r.MemorizedFraction is not null) ? Build(rows, MemorizationMetrics) : null;

    public static IReadOnlyList<ArmMetric> Build(IReadOnlyList<StudyRow> rows, IReadOnlyList<(string Name, Func<StudyRow, double?> Value)> metrics)
    {
        var table = new List<ArmMetric>();
        foreach (double s in rows.Where(r => r.Method != DenseRun.Name).Select(r => r.Sparsity).Distinct().Order())
        {
            var finetune = rows.Where(r => r.Sparsity == s && r.Method == Finetune.Id).GroupBy(r => r.Seed).ToDictionary(g => g.Key, g => g.Last());
            var arms = rows.Where(r => r.Method == DenseRun.Name || r.Sparsity == s).GroupBy(r => r.Method).OrderBy(g => StudyMethods.Rank(g.Key));
            foreach (var arm in arms)
                foreach (var (metric, value) in metrics)
                {
                    var known = arm.Where(r => value(r) is not null).OrderBy(r => r.Seed).ToList();
                    if (known.Count == 0) continue;
                    var paired = known.Where(r => finetune.TryGetValue(r.Seed, out var f) && value(f) is not null).ToList();
                    var gap = arm.Key == Finetune.Id || paired.Count == 0 ? null
                        : Statistics.Paired([.. paired.Select(r => value(r)!.Value)], [.. paired.Select(r => value(finetune[r.Seed])!.Value)]);
                    table.Add(new ArmMetric(s, arm.Key, metric, Statistics.Summarize([.. known.Select(r => value(r)!.Value)]), gap));
                }
        }
        return table;
    }
}
