// The curriculum study's reading of its numbers (and of the early-phase arms'): for every sparsity and arm, did the
// arm beat plain sparse scratch on test accuracy beyond the seed-to-seed noise (the
// paired 95 % interval of arm − scratch excludes 0), how much of the finetune − scratch
// gap it closed, in which regime, at what cost relative to sparse finetuning, and against
// its random control (random-pacing for a curriculum arm, random-early for an early-phase arm).
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

    public const string EarlyClaim =
        "The early-phase proposal under test (the seed's, read literally): for the first t* steps train sparse scratch on the examples " +
        "with the lowest true Fisher under the current weights (fisher-early), then plainly. Controls: the highest Fisher (fisher-early-hard, " +
        "the paper's §4.2 order), the lowest loss (loss-early), a random batch of the same pool (random-early), and the Fisher penalty of " +
        "Jastrzebski et al. 2021 over the same steps (fisher-penalty).";

    /// <summary>Whether an arm is an early-phase arm (EarlyPhaseArm) rather than a curriculum arm.</summary>
    public static bool IsEarly(string arm) => StudyMethods.Find(arm)?.Kind == MethodKind.EarlyPhaseArm;

    /// <summary>The heading of the gap-closed table: which kinds of scratch arm the study has.</summary>
    public static string ArmsHeading(GapStudyResult r)
    {
        var arms = (r.GapClosed ?? []).Select(g => g.Arm).ToList();
        bool early = arms.Any(IsEarly), curriculum = arms.Any(a => !IsEarly(a));
        return early && !curriculum ? "Early-phase arms: gap closed and cost"
            : early ? "Curriculum and early-phase arms: gap closed and cost"
            : "Curriculum arms: gap closed and cost";
    }

    public static IReadOnlyList<string> Describe(GapStudyResult r)
    {
        var rows = r.GapClosed ?? [];
        var text = new List<string>();
        if (rows.Count == 0 || rows.Any(g => !IsEarly(g.Arm))) text.Add(Claim);
        if (rows.Any(g => IsEarly(g.Arm))) text.Add(EarlyClaim);
        if (rows.Count == 0) return text;
        if (rows.Any(g => g.TestGain.N < 2))
            text.Add("Some settings have a single seed: no interval exists there, so no arm can be said to beat scratch beyond the noise. Run 3 or more seeds.");
        var winners = new List<string>();
        var beyondControl = new List<string>();
        var beyondRandomEarly = new List<string>();
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
                string controlArm = IsEarly(g.Arm) ? RandomEarly.Id : RandomPacing.Id;   // each family against its own random control
                var control = OverControl(r, g.Sparsity, g.Arm, controlArm);
                if (control is { N: >= 2, CiLow: > 0 }) (IsEarly(g.Arm) ? beyondRandomEarly : beyondControl).Add($"{g.Arm} at {SparsityText(g.Sparsity)}");
                string against = control is null ? "" : $"; against {controlArm} {GapEstimate(control)} points";
                return string.Create(CultureInfo.InvariantCulture,
                    $"{g.Arm} {Points(g.TestGain.Mean)} points ({verdict}{against}; gap closed {Ratio(g.TestGapClosed)}; cost {g.CostRelativeToFinetune:0.00}× finetuning with the dense run, {g.MarginalCostRelativeToFinetune:0.00}× marginal)");
            });
            text.Add($"At sparsity {SparsityText(group.Key)} ({regime} regime; finetune − scratch test gap {(gap is null ? "unknown" : GapEstimate(gap))}): " +
                     string.Join("; ", parts) + ".");
        }
        text.Add(winners.Count == 0
            ? $"In short: no {Family(rows)} arm beat plain sparse scratch beyond the noise at any sparsity measured — the proposed fix does not show here."
            : $"In short: beyond the noise, plain sparse scratch was beaten by {string.Join(", ", winners)}.");
        if (r.Rows.Any(x => x.Method == RandomPacing.Id) && rows.Any(g => !IsEarly(g.Arm)))
            text.Add(beyondControl.Count == 0
                ? "Against random-pacing (the same pacing, a random order) no arm was better beyond the noise: what the arms gain, the pacing explains as well as the order."
                : $"Against random-pacing (the same pacing, a random order), better beyond the noise: {string.Join(", ", beyondControl)}.");
        if (r.Rows.Any(x => x.Method == RandomEarly.Id) && rows.Any(g => IsEarly(g.Arm)))
            text.Add(beyondRandomEarly.Count == 0
                ? "Against random-early (a random batch of the same pools) no early arm was better beyond the noise: which examples the early batches hold did not matter measurably."
                : $"Against random-early (a random batch of the same pools), better beyond the noise: {string.Join(", ", beyondRandomEarly)}.");
        return text;
    }

    private static string Family(IReadOnlyList<GapClosed> rows) =>
        rows.All(g => IsEarly(g.Arm)) ? "early-phase" : rows.Any(g => IsEarly(g.Arm)) ? "curriculum or early-phase" : "curriculum";

    /// <summary>arm − its random control (random-pacing or random-early) in test accuracy at one sparsity, paired by seed; null for the control itself or without it.</summary>
    private static Estimate? OverControl(GapStudyResult r, double sparsity, string arm, string controlArm)
    {
        if (arm == controlArm) return null;
        var at = r.Rows.Where(x => x.Sparsity == sparsity).ToList();
        var control = at.Where(x => x.Method == controlArm).ToDictionary(x => x.Seed, x => x.TestAccuracy);
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
