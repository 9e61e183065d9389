// The curriculum study's reading of its numbers: for every sparsity and arm, did the
// arm beat plain sparse scratch on test accuracy beyond the seed-to-seed noise (the
// paired 95 % interval of arm − scratch excludes 0), how much of the finetune − scratch
// gap it closed, in which regime, and at what cost relative to sparse finetuning.
using System.Globalization;
using SparseLab.Studies;
using SparseLab.Studies.Methods;
using static SparseLab.Reporting.ReportFormat;

namespace SparseLab.Reporting;

public static class CurriculumNarrative
{
    public const string Claim =
        "The proposal under test (the seed's): training sparse scratch on low-Fisher examples first closes the gap to sparse " +
        "finetuning without dense pre-training. Controls: the same pacing with the order reversed (anti-curriculum) and with a " +
        "random order (random-pacing), which separates \"easy first\" from \"a smaller pool early\", and an EL2N curriculum.";

    public static IReadOnlyList<string> Describe(GapStudyResult r)
    {
        var rows = r.GapClosed ?? [];
        var text = new List<string> { Claim };
        if (rows.Count == 0) return text;
        if (rows.Any(g => g.TestGain.N < 2))
            text.Add("Some settings have a single seed: no interval exists there, so no arm can be said to beat scratch beyond the noise. Run 3 or more seeds.");
        var winners = new List<string>();
        var beyondControl = new List<string>();
        foreach (var group in rows.GroupBy(g => g.Sparsity).OrderBy(g => g.Key))
        {
            string regime = r.Regimes.FirstOrDefault(x => x.Sparsity == group.Key)?.Regime ?? "unknown";
            var gap = r.Regimes.FirstOrDefault(x => x.Sparsity == group.Key)?.TestGap;
            var parts = group.Select(g =>
            {
                string verdict = g.TestGain.N < 2 ? "no interval (1 seed)"
                    : g.TestGain.CiLow > 0 ? "better than scratch beyond the noise"
                    : g.TestGain.CiHigh < 0 ? "worse than scratch beyond the noise"
                    : "not distinguishable from scratch";
                if (g.TestGain.N >= 2 && g.TestGain.CiLow > 0) winners.Add($"{g.Arm} at {SparsityText(g.Sparsity)}");
                var control = OverRandomPacing(r, g.Sparsity, g.Arm);
                if (control is { N: >= 2, CiLow: > 0 }) beyondControl.Add($"{g.Arm} at {SparsityText(g.Sparsity)}");
                string against = control is null ? "" : $"; against random-pacing {GapEstimate(control)} points";
                return string.Create(CultureInfo.InvariantCulture,
                    $"{g.Arm} {Points(g.TestGain.Mean)} points ({verdict}{against}; gap closed {Ratio(g.TestGapClosed)}; cost {g.CostRelativeToFinetune:0.00}× finetuning with the dense run, {g.MarginalCostRelativeToFinetune:0.00}× marginal)");
            });
            text.Add($"At sparsity {SparsityText(group.Key)} ({regime} regime; finetune − scratch test gap {(gap is null ? "unknown" : GapEstimate(gap))}): " +
                     string.Join("; ", parts) + ".");
        }
        text.Add(winners.Count == 0
            ? "In short: no curriculum arm beat plain sparse scratch beyond the noise at any sparsity measured — the proposed fix does not show here."
            : $"In short: beyond the noise, plain sparse scratch was beaten by {string.Join(", ", winners)}.");
        if (r.Rows.Any(x => x.Method == RandomPacing.Id))
            text.Add(beyondControl.Count == 0
                ? "Against random-pacing (the same pacing, a random order) no arm was better beyond the noise: what the arms gain, the pacing explains as well as the order."
                : $"Against random-pacing (the same pacing, a random order), better beyond the noise: {string.Join(", ", beyondControl)}.");
        return text;
    }

    /// <summary>arm − random-pacing test accuracy at one sparsity, paired by seed; null for random-pacing itself or without it.</summary>
    private static Estimate? OverRandomPacing(GapStudyResult r, double sparsity, string arm)
    {
        if (arm == RandomPacing.Id) return null;
        var at = r.Rows.Where(x => x.Sparsity == sparsity).ToList();
        var control = at.Where(x => x.Method == RandomPacing.Id).ToDictionary(x => x.Seed, x => x.TestAccuracy);
        var mine = at.Where(x => x.Method == arm && control.ContainsKey(x.Seed)).OrderBy(x => x.Seed).ToList();
        if (mine.Count == 0) return null;
        return Statistics.Paired([.. mine.Select(x => x.TestAccuracy)], [.. mine.Select(x => control[x.Seed])]);
    }

    /// <summary>"0.42 [0.10, 0.80]", or "0.42 (interval unbounded)" when the finetune − scratch gap is not clearly non-zero.</summary>
    public static string Ratio(RatioEstimate e) =>
        !double.IsFinite(e.Ratio) ? "undefined (no gap to close)"
        : e.N < 2 ? e.Ratio.ToString("0.00", CultureInfo.InvariantCulture) + " (1 seed)"
        : e.CiLow is null ? e.Ratio.ToString("0.00", CultureInfo.InvariantCulture) + " (interval unbounded: the finetune − scratch gap is not clearly above 0)"
        : string.Create(CultureInfo.InvariantCulture, $"{e.Ratio:0.00} [{e.CiLow:0.00}, {e.CiHigh:0.00}]");
}
