// path_s{sparsity}.png: loss along the linear paths θ(α) = (1 − α)·θ_from + α·θ_to
// (METHODS §5) at one sparsity, one colour per (from → to) pair: train loss solid,
// test loss dashed, mean over seeds with a light min–max band.
using ScottPlot;
using SparseLab.Foundations;
using SparseLab.Studies;

namespace SparseLab.Reporting;

internal static class PathFigure
{
    public static void Save(IReadOnlyList<StudyPath> paths, double sparsity, string path)
    {
        var plot = new Plot();
        var pairs = paths.GroupBy(p => (p.From, p.To)).ToList();
        int seeds = paths.Select(p => p.Seed).Distinct().Count();
        for (int k = 0; k < pairs.Count; k++)
        {
            var group = pairs[k].ToList();
            double[] alpha = CommonAlpha(group, sparsity);
            var color = FigureStyle.PairColor(k);
            string name = $"{pairs[k].Key.From} → {pairs[k].Key.To}";
            Series(plot, alpha, group.Select(p => p.TrainLoss).ToList(), color, $"{name}, train loss", dashed: false);
            Series(plot, alpha, group.Select(p => p.TestLoss).ToList(), color, $"{name}, test loss", dashed: true);
        }
        foreach (double x in new[] { 0.0, 1.0 })
        {
            var v = plot.Add.VerticalLine(x);
            v.Color = Colors.Gray;
            v.LineStyle.Width = 1.5f;
            v.LineStyle.Pattern = LinePattern.Dotted;
            if (x == 0) v.LegendText = "α = 0 (from) and α = 1 (to)";
        }
        string over = seeds == 1 ? "1 seed" : $"mean of {seeds} seeds, band = min–max";
        FigureStyle.Apply(plot, $"Loss along linear paths at sparsity {ReportFormat.SparsityText(sparsity)} ({over})",
            "α  (θ = (1 − α)·θ_from + α·θ_to)", "Cross-entropy loss (nats)");
        plot.ShowLegend(Edge.Right);
        FigureStyle.SaveAtomically(path, temp => plot.SavePng(temp, FigureStyle.Width, FigureStyle.Height));
    }

    private static void Series(Plot plot, double[] alpha, List<double[]> values, Color color, string label, bool dashed)
    {
        var xs = new List<double>(); var mean = new List<double>(); var lo = new List<double>(); var hi = new List<double>();
        for (int i = 0; i < alpha.Length; i++)
        {
            // A diverged point (NaN or ∞ loss far outside [0, 1]) is left out rather than flattening the axis.
            var at = values.Select(v => v[i]).Where(double.IsFinite).ToArray();
            if (at.Length == 0) continue;
            xs.Add(alpha[i]); mean.Add(at.Average()); lo.Add(at.Min()); hi.Add(at.Max());
        }
        if (xs.Count == 0) return;
        if (values.Count > 1)
        {
            var band = plot.Add.FillY(xs.ToArray(), lo.ToArray(), hi.ToArray());
            band.FillStyle.Color = color.WithAlpha(0.15);
            band.LineStyle.Width = 0;
        }
        var line = plot.Add.Scatter(xs.ToArray(), mean.ToArray());
        line.Color = color;
        line.LineWidth = 2;
        line.MarkerSize = dashed ? 0 : 4;
        line.LinePattern = dashed ? LinePattern.Dashed : LinePattern.Solid;
        line.LegendText = label;
    }

    private static double[] CommonAlpha(List<StudyPath> group, double sparsity)
    {
        double[] alpha = group[0].Alpha;
        foreach (var p in group)
        {
            bool same = p.Alpha.Length == alpha.Length && p.Alpha.Zip(alpha).All(t => Math.Abs(t.First - t.Second) < 1e-9);
            int n = alpha.Length;
            if (!same || p.TrainLoss.Length != n || p.TestLoss.Length != n)
                throw new SparseLabException(
                    $"path {p.From} → {p.To} at sparsity {ReportFormat.SparsityText(sparsity)}, seed {p.Seed}: its α grid or loss arrays " +
                    $"differ from seed {group[0].Seed}'s ({p.Alpha.Length} vs {n} points); rerun the study's paths with one --points value");
        }
        return alpha;
    }
}
