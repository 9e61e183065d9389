// The report's section on the solutions (Ye et al. 2022, Table 2: scratch's
// Fisher trace, Hessian trace, Jacobian norm and prediction entropy are all
// higher than finetune's): the measures of Sol-D and every Baseline method's
// solution, and each against Sol-F of the same seed as a geometric-mean ratio.
using System.Globalization;
using SparseLab.Studies;
using SparseLab.Studies.Methods;
using static SparseLab.Reporting.ReportFormat;

namespace SparseLab.Reporting;

public static class SolutionReport
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    public static void Compose(IReportWriter w, GapStudyResult r)
    {
        if (r.Curvature is not { Count: > 0 } rows) return;
        w.Heading(2, "Curvature of the solutions");
        bool probed = rows.Any(c => c.FisherTrace is not null);
        w.Paragraph("Measured at each solution on the first training examples, BatchNorm in eval mode, only unpruned weights counting: " +
                    "the top Hessian eigenvalue (power iteration), the Hessian trace (Hutchinson) and the mean input-Jacobian Frobenius norm " +
                    "of the training loss" + (probed
                        ? ", the true Fisher trace (Monte Carlo: labels drawn from the model's predictive distribution, per-example squared " +
                          "gradient norms averaged) and the mean prediction entropy in nats. Sol-D is the dense run (sparsity 0), beside every " +
                          "sparsity. Mean ± sd over seeds [median]."
                        : ". Mean ± sd over seeds [median]."));
        var samples = rows.Where(c => c.Samples is not null).Select(c => $"{c.Samples} examples, {c.FisherDraws} label draws each").Distinct().ToList();
        if (samples.Count > 0) w.Paragraph($"Probe set: {string.Join("; ", samples)}.");
        var ordered = rows.GroupBy(c => (c.Sparsity, c.Method)).OrderBy(g => g.Key.Sparsity).ThenBy(g => StudyMethods.Rank(g.Key.Method));
        w.Table(["Sparsity", "Method", .. SolutionComparison.Metrics.Select(m => Label(m.Name)), "n"],
            ordered.Select(g => (IReadOnlyList<string>)[g.Key.Method == DenseRun.Name ? "0 (Sol-D)" : SparsityText(g.Key.Sparsity), g.Key.Method,
                .. SolutionComparison.Metrics.Select(m => Summary([.. g.Select(m.Value)])), g.Count().ToString(Inv)]));

        if (r.SolutionRatios is not { Count: > 0 } ratios) return;
        w.Paragraph("Each solution against Sol-F of the same seed: the geometric mean of the per-seed ratios method / finetune, with a 95 % " +
                    "interval (a Student-t interval on the mean log ratio, exponentiated). Above 1: higher than finetune's. Ye et al. 2022 " +
                    "(Table 2) report scratch higher than finetune on the Fisher trace, the Hessian trace, the Jacobian norm and the entropy.");
        w.Table(["Sparsity", "Method / finetune", .. SolutionComparison.Metrics.Select(m => Label(m.Name)), "n (paired seeds)"],
            ratios.GroupBy(x => (x.Sparsity, x.Method)).OrderBy(g => g.Key.Sparsity).ThenBy(g => StudyMethods.Rank(g.Key.Method))
                .Select(g => (IReadOnlyList<string>)[SparsityText(g.Key.Sparsity), g.Key.Method,
                    .. SolutionComparison.Metrics.Select(m => g.FirstOrDefault(x => x.Metric == m.Name) is { } x ? Ratio(x) : "n/a"),
                    g.Max(x => x.Ratio.N).ToString(Inv)]));
        foreach (var sentence in Describe(ratios)) w.Paragraph(sentence);
    }

    /// <summary>
    /// Per sparsity and sparse method, which measures are higher than finetune's beyond the seed-to-seed noise (the ratio's
    /// interval above 1), lower (below 1), or not distinguishable (the interval holds 1, or one seed): the paper's claim read
    /// measure by measure.
    /// </summary>
    public static IEnumerable<string> Describe(IReadOnlyList<SolutionRatio> ratios)
    {
        foreach (var g in ratios.Where(x => x.Method != DenseRun.Name).GroupBy(x => (x.Sparsity, x.Method))
                     .OrderBy(g => g.Key.Sparsity).ThenBy(g => StudyMethods.Rank(g.Key.Method)))
        {
            string List(Func<SolutionRatio, bool> which) =>
                string.Join(", ", g.Where(which).Select(x => $"{Phrase(x.Metric)} ({Ratio(x)})"));
            string higher = List(x => x.Ratio.CiLow > 1), lower = List(x => x.Ratio.CiHigh < 1);
            string unclear = string.Join(", ", g.Where(x => !(x.Ratio.CiLow > 1) && !(x.Ratio.CiHigh < 1)).Select(x => Phrase(x.Metric)));
            var parts = new List<string>();
            if (higher.Length > 0) parts.Add($"higher than finetune's beyond the noise on {higher}");
            if (lower.Length > 0) parts.Add($"lower on {lower}");
            if (unclear.Length > 0) parts.Add($"not distinguishable from finetune's on {unclear}");
            yield return $"At sparsity {SparsityText(g.Key.Sparsity)}, {g.Key.Method}'s solution is {string.Join("; ", parts)}.";
        }
    }

    private static string Label(string metric) => metric switch
    {
        "fisher_trace" => "True Fisher trace",
        "hessian_trace" => "Hessian trace",
        "top_eigenvalue" => "Top Hessian eigenvalue",
        "jacobian_norm" => "Input-Jacobian norm",
        "prediction_entropy" => "Prediction entropy (nats)",
        _ => metric,
    };

    /// <summary>The measure's name inside a sentence.</summary>
    private static string Phrase(string metric) => metric switch
    {
        "fisher_trace" => "the true Fisher trace",
        "hessian_trace" => "the Hessian trace",
        "top_eigenvalue" => "the top Hessian eigenvalue",
        "jacobian_norm" => "the input-Jacobian norm",
        "prediction_entropy" => "the prediction entropy",
        _ => metric,
    };

    private static string Summary(IReadOnlyList<double?> values)
    {
        var known = values.OfType<double>().ToArray();
        if (known.Length == 0) return "n/a";
        var e = Statistics.Summarize(known);
        return string.Create(Inv, $"{e.Mean:G4} ± {e.Sd:G2} [{e.Median:G4}]");
    }

    /// <summary>"1.83× [1.21, 2.77]"; one seed: "1.83× (1 seed)"; seeds without a positive value to take the log of are counted.</summary>
    public static string Ratio(SolutionRatio x)
    {
        var e = x.Ratio;
        string text = e.CiLow is { } lo && e.CiHigh is { } hi
            ? string.Create(Inv, $"{e.Ratio:0.00}× [{lo:0.00}, {hi:0.00}]")
            : string.Create(Inv, $"{e.Ratio:0.00}× ({e.N} seed{(e.N == 1 ? "" : "s")})");
        return x.Excluded > 0 ? $"{text}, {x.Excluded} seed(s) ≤ 0 left out" : text;
    }
}
