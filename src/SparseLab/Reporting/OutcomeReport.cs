// The report's sections on outcomes a mean hides: runs that stalled at chance
// (counts per method and sparsity, each method against scratch and lottery by
// Fisher's exact and the exact McNemar test), and under --label-noise what
// every arm did with the flipped training examples (memorized or generalized).
using System.Globalization;
using SparseLab.Studies;
using static SparseLab.Reporting.ReportFormat;

namespace SparseLab.Reporting;

public static class OutcomeReport
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    /// <summary>For the verdict: which cells had runs stalled at chance, or null when none did.</summary>
    public static string? StallSummary(GapStudyResult r)
    {
        var stalled = (r.Stalls ?? []).Where(s => s.Stalled > 0).ToList();
        if (stalled.Count == 0) return null;
        return "Some runs stalled at chance (" + string.Join("; ", stalled.Select(s =>
                   $"{s.Method} at sparsity {SparsityText(s.Sparsity)}: {s.Stalled} of {s.Runs}")) +
               "): there the outcome is bimodal and a mean over seeds is a value no run reached; read the medians and the " +
               "stall counts with their exact tests (\"Runs stalled at chance\" below).";
    }

    public static void Stalls(IReportWriter w, GapStudyResult r)
    {
        if (r.Stalls is not { Count: > 0 } stalls) return;
        w.Heading(2, "Runs stalled at chance");
        string rule = r.Config.TryGetValue("stall_rule", out var v) && v is not null ? Value(v) : "the stall rule";
        if (stalls.All(s => s.Stalled == 0))
        {
            w.Paragraph($"No run stalled at chance ({rule}).");
            return;
        }
        w.Paragraph($"A run counts as stalled at chance with a {rule}. Outcomes this bimodal make means and t intervals misleading, so the " +
                    "stalls are counted and compared exactly: Fisher's exact test (two-sided) on the counts of two arms, and the exact " +
                    "McNemar test on the seeds both ran (only the seeds where one stalled and the other did not count).");
        w.Table(["Sparsity", "Method", "Stalled / runs", "Stalled seeds"],
            stalls.Where(s => s.Method != Studies.Methods.DenseRun.Name || s.Stalled > 0).Select(s => (IReadOnlyList<string>)
                [SparsityText(s.Sparsity), s.Method, $"{s.Stalled} / {s.Runs}", s.StalledSeeds.Length == 0 ? "—" : string.Join(", ", s.StalledSeeds)]));
        if (r.StallTests is { Count: > 0 } tests)
            w.Table(["Sparsity", "Method", "Against", "Stalled (method vs reference)", "Fisher's exact p", "Discordant seeds (method only / reference only)", "McNemar exact p"],
                tests.Select(t => (IReadOnlyList<string>)[SparsityText(t.Sparsity), t.Method, t.Reference,
                    $"{t.Stalled}/{t.Runs} vs {t.ReferenceStalled}/{t.ReferenceRuns}", P(t.FisherP),
                    $"{t.OnlyMethod} / {t.OnlyReference} of {t.Pairs}", P(t.McNemarP)]));
    }

    public static void Memorization(IReportWriter w, GapStudyResult r)
    {
        if (r.Memorization is not { Count: > 0 } table) return;
        w.Heading(2, "Label noise: memorization");
        w.Paragraph("Trained with a fraction of the training labels flipped to another class (--label-noise). On the flipped examples, " +
                    "memorized: predicted as the noisy label trained on; generalized: predicted as the true label. Clean train: accuracy on the " +
                    "examples left as they were; test accuracy is on the untouched test set. Each cell: mean [95 % CI] (median), then the gap " +
                    "to finetune of the same seed in points [95 % CI]; the dense run (Sol-D) stands beside every sparsity.");
        foreach (var group in table.GroupBy(x => x.Sparsity).OrderBy(g => g.Key))
        {
            w.Heading(3, $"Sparsity {SparsityText(group.Key)}");
            w.Table(["Method", "Test accuracy (%)", "Clean train accuracy (%)", "Memorized (%)", "Generalized (%)", "n"],
                group.GroupBy(x => x.Method).Select(m => (IReadOnlyList<string>)[m.Key,
                    .. ArmComparison.MemorizationMetrics.Select(metric => m.FirstOrDefault(x => x.Metric == metric.Name) is { } x ? Cell(x) : "n/a"),
                    m.Max(x => x.Value.N).ToString(Inv)]));
        }
    }

    private static string Cell(ArmMetric x)
    {
        var e = x.Value;
        string value = e.N < 2 ? $"{Percent(e.Mean)} (1 seed)" : $"{Percent(e.Mean)} [{Percent(e.CiLow)}, {Percent(e.CiHigh)}]";
        if (e.Median is { } median) value += $" ({Percent(median)})";
        return x.GapVsFinetune is { } gap ? $"{value}; {GapEstimate(gap)}" : value;
    }

    private static string P(double p) => p >= 0.001 ? p.ToString("0.###", Inv) : p.ToString("0.0e0", Inv);
}
