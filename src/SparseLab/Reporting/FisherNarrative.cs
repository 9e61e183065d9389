// The report's reading of the Fisher traces: per sparsity, is scratch's true
// Fisher higher than finetune's (the seed's claim), by how much, and when —
// at the start, at its peak, at the end — with the regime beside it.
using System.Globalization;
using SparseLab.Studies;
using SparseLab.Studies.Methods;

namespace SparseLab.Reporting;

public static class FisherNarrative
{
    public static IReadOnlyList<string> Describe(GapStudyResult r)
    {
        var fisher = r.Fisher ?? [];
        var lines = new List<string>();
        int higher = 0, total = 0;
        foreach (double s in fisher.Where(f => f.Method == Scratch.Id).Select(f => f.Sparsity).Distinct().Order())
        {
            var scratch = MeanByEpoch(fisher.Where(f => f.Sparsity == s && f.Method == Scratch.Id));
            var finetune = MeanByEpoch(fisher.Where(f => f.Sparsity == s && f.Method == Finetune.Id));
            var epochs = scratch.Keys.Intersect(finetune.Keys).Order().ToList();
            if (epochs.Count == 0) continue;
            total++;
            var ratio = epochs.ToDictionary(e => e, e => scratch[e] / finetune[e]);
            double meanRatio = Math.Exp(epochs.Average(e => Math.Log(Math.Max(ratio[e], 1e-300))));   // geometric mean over epochs
            int peak = epochs.OrderByDescending(e => scratch[e]).First();
            string regime = r.Regimes.FirstOrDefault(g => g.Sparsity == s)?.Regime ?? "unknown";
            bool isHigher = meanRatio > 1;
            if (isHigher) higher++;
            lines.Add(string.Create(CultureInfo.InvariantCulture,
                $"At sparsity {ReportFormat.SparsityText(s)} ({regime} regime), scratch's true Fisher trace is {(isHigher ? "higher" : "lower")} than finetune's: " +
                $"{meanRatio:0.00}× on average over training (geometric mean of the per-epoch ratios), {ratio[epochs[0]]:0.00}× at the start (epoch {epochs[0]}), " +
                $"{ratio[epochs[^1]]:0.00}× at the end (epoch {epochs[^1]}); scratch's trace peaks at epoch {peak} ({scratch[peak]:G3})."));
        }
        if (total > 0)
            lines.Add(higher == total
                ? "In short: scratch's Fisher information is higher than finetune's at every sparsity measured, as the seed reports."
                : higher == 0
                    ? "In short: scratch's Fisher information is not higher than finetune's at any sparsity measured — the seed's claim does not show here."
                    : $"In short: scratch's Fisher information is higher than finetune's at {higher} of {total} sparsities; the seed's claim holds only there.");
        return lines;
    }

    /// <summary>True trace averaged over seeds at each epoch.</summary>
    private static Dictionary<int, double> MeanByEpoch(IEnumerable<FisherSeries> runs) =>
        runs.SelectMany(f => f.Epoch.Zip(f.True)).Where(t => double.IsFinite(t.Second))
            .GroupBy(t => t.First).ToDictionary(g => g.Key, g => g.Average(t => t.Second));
}
