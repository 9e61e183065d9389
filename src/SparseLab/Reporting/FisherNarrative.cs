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
        foreach (var group in (r.FisherGaps ?? []).GroupBy(g => g.Sparsity).OrderBy(g => g.Key))
            lines.Add($"Paired by seed at sparsity {ReportFormat.SparsityText(group.Key)}, Fisher(scratch) − Fisher(finetune) is " + Verdicts(group.ToList()) + ".");
        if (total > 0)
            lines.Add(higher == total
                ? "In short: scratch's Fisher information is higher than finetune's at every sparsity measured, as the seed reports."
                : higher == 0
                    ? "In short: scratch's Fisher information is not higher than finetune's at any sparsity measured — the seed's claim does not show here."
                    : $"In short: scratch's Fisher information is higher than finetune's at {higher} of {total} sparsities; the seed's claim holds only there.");
        return lines;
    }

    /// <summary>"higher beyond the noise at epochs 1–4, lower at 0, undecided at 5–10 (95 % paired intervals, 3 seeds)".</summary>
    private static string Verdicts(IReadOnlyList<FisherGap> gaps)
    {
        var parts = new List<string>();
        foreach (var verdict in new[] { "higher", "lower", "undecided" })
        {
            var epochs = gaps.Where(g => g.Verdict == verdict).Select(g => g.Epoch).Order().ToList();
            if (epochs.Count == 0) continue;
            parts.Add(verdict == "undecided" ? $"not distinguishable from 0 at {Epochs(epochs)}" : $"{verdict} for scratch beyond the noise at {Epochs(epochs)}");
        }
        return string.Join("; ", parts) + $" (95 % paired intervals over {gaps.Max(g => g.Difference.N)} seeds)";
    }

    /// <summary>"epochs 0, 2–5 and 7".</summary>
    private static string Epochs(IReadOnlyList<int> epochs)
    {
        var runs = new List<string>();
        for (int i = 0; i < epochs.Count;)
        {
            int j = i;
            while (j + 1 < epochs.Count && epochs[j + 1] == epochs[j] + 1) j++;
            runs.Add(i == j ? $"{epochs[i]}" : $"{epochs[i]}–{epochs[j]}");
            i = j + 1;
        }
        return (epochs.Count == 1 ? "epoch " : "epochs ") + (runs.Count == 1 ? runs[0] : string.Join(", ", runs.Take(runs.Count - 1)) + " and " + runs[^1]);
    }

    /// <summary>True trace averaged over seeds at each epoch.</summary>
    private static Dictionary<int, double> MeanByEpoch(IEnumerable<FisherSeries> runs) =>
        runs.SelectMany(f => f.Epoch.Zip(f.True)).Where(t => double.IsFinite(t.Second))
            .GroupBy(t => t.First).ToDictionary(g => g.Key, g => g.Average(t => t.Second));
}
