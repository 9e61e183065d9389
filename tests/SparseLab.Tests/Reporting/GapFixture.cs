// A small hand-made gap study result: 2 sparsities, 2 seeds, dense/finetune/
// scratch rows, cells and regimes computed from the rows, and two 29-point paths.
using SparseLab.Reporting;
using SparseLab.Studies;

namespace SparseLab.Tests.Reporting;

internal static class GapFixture
{
    /// <summary>scratchDeficit: how far scratch's test accuracy sits below finetune's (negative: scratch is better).</summary>
    public static GapStudyResult Result(double scratchDeficit = 0.02, string scratchName = "scratch")
    {
        long[] seeds = [1, 2];
        double[] sparsities = [0.5, 0.9];
        var rows = new List<StudyRow>();
        foreach (long seed in seeds)
        {
            rows.Add(Row(0, "dense", seed, 0.92 + 0.002 * seed, 0.995));
            foreach (double s in sparsities)
            {
                double ft = 0.90 - 0.1 * (s - 0.5) + 0.003 * seed;
                rows.Add(Row(s, "finetune", seed, ft, 0.99));
                rows.Add(Row(s, scratchName, seed, ft - scratchDeficit - 0.002 * seed, s < 0.8 ? 0.985 : 0.95 - 0.001 * seed));
            }
        }
        var cells = rows.GroupBy(r => (r.Sparsity, r.Method)).Select(g => new StudyCell(g.Key.Sparsity, g.Key.Method,
            Statistics.Summarize(g.Select(r => r.TestAccuracy).ToArray()), Statistics.Summarize(g.Select(r => r.TrainAccuracy).ToArray()),
            Statistics.Summarize(g.Select(r => r.TestLoss).ToArray()), Statistics.Summarize(g.Select(r => r.TrainLoss).ToArray()))).ToList();
        var regimes = sparsities.Select(s =>
        {
            StudyRow[] ft = Pick(rows, s, "finetune"), sc = Pick(rows, s, scratchName);
            var train = Statistics.Paired(ft.Select(r => r.TrainAccuracy).ToArray(), sc.Select(r => r.TrainAccuracy).ToArray());
            var test = Statistics.Paired(ft.Select(r => r.TestAccuracy).ToArray(), sc.Select(r => r.TestAccuracy).ToArray());
            return new StudyRegime(s, train.Mean < 0.01 ? "generalization" : "optimization", 0.01, train, test);
        }).ToList();
        double[] alpha = Enumerable.Range(0, 29).Select(i => -0.2 + 1.4 * i / 28).ToArray();
        var paths = seeds.Select(seed => new StudyPath("Init-S", "Sol-F", 0.9, seed, alpha,
            alpha.Select(a => 2.3 * (1 - a) * (1 - a) + 0.1 + 0.02 * seed).ToArray(),
            alpha.Select(a => 2.3 * (1 - a) * (1 - a) + 0.4 + 0.03 * seed).ToArray(),
            alpha.Select(a => Math.Clamp(a, 0, 1) * 0.9).ToArray(),
            alpha.Select(a => Math.Clamp(a, 0, 1) * 0.85).ToArray())).ToList();
        var config = new Dictionary<string, object?>
        {
            ["model"] = "lenet5", ["dataset"] = "fashion-mnist", ["epochs"] = 2, ["sparsities"] = sparsities,
            ["seeds"] = 2, ["criterion"] = "magnitude", ["budget"] = "global",
        };
        var environment = new Dictionary<string, object?> { ["machine"] = "test box", ["date"] = "2026-11-25T14:00:00Z" };
        return new GapStudyResult(config, environment, rows, paths, cells, regimes);
    }

    private static StudyRow Row(double s, string method, long seed, double test, double train) =>
        new(s, method, seed, test, train, 1 - test, 1 - train, s, $"runs/{method}-{s}-{seed}", 1.0);

    private static StudyRow[] Pick(List<StudyRow> rows, double s, string method) =>
        rows.Where(r => r.Sparsity == s && r.Method == method).OrderBy(r => r.Seed).ToArray();
}
