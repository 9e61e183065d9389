// fisher_s{sparsity}.png: the true Fisher trace through training (METHODS §6)
// of dense, finetune and scratch at one sparsity, mean over seeds with a
// min–max band; the empirical trace dashed, on a log scale (the dense
// network at initialization is an order of magnitude above the rest). Epoch 0
// is each run's start (Init-D, Init-F = Sol-D ⊙ M, Init-S = Init-D ⊙ M).
using ScottPlot;
using SparseLab.Studies;
using SparseLab.Studies.Methods;

namespace SparseLab.Reporting;

internal static class FisherFigure
{
    public static void Save(IReadOnlyList<FisherSeries> series, double sparsity, string? regime, string path)
    {
        var plot = new Plot();
        foreach (var method in FigureStyle.OrderMethods(series.Select(s => s.Method)))
        {
            var runs = series.Where(s => s.Method == method).ToList();
            var color = FigureStyle.MethodColor(method);
            Line(plot, runs, s => s.True, color, $"{method}, true Fisher", dashed: false);
            Line(plot, runs, s => s.Empirical, color, $"{method}, empirical Fisher", dashed: true);
        }
        int seeds = series.Select(s => s.Seed).Distinct().Count();
        string over = seeds == 1 ? "1 seed" : $"mean of {seeds} seeds, band = min–max";
        FigureStyle.Apply(plot, $"Fisher trace during training at sparsity {ReportFormat.SparsityText(sparsity)}" +
            (regime is null ? "" : $" ({regime} regime)") + $" ({over})", "Epoch of the run (0 = its initialization)", "Fisher trace, log scale (mean ‖∇ log p‖² per example)");
        var ticks = new ScottPlot.TickGenerators.NumericAutomatic
        {
            MinorTickGenerator = new ScottPlot.TickGenerators.LogMinorTickGenerator(),
            IntegerTicksOnly = true,
            LabelFormatter = y => Math.Pow(10, y).ToString("#,0.###", System.Globalization.CultureInfo.InvariantCulture),
        };
        plot.Axes.Left.TickGenerator = ticks;
        plot.ShowLegend(Edge.Right);
        FigureStyle.SaveAtomically(path, temp => plot.SavePng(temp, FigureStyle.Width, FigureStyle.Height));
    }

    private static void Line(Plot plot, List<FisherSeries> runs, Func<FisherSeries, double[]> values, Color color, string label, bool dashed)
    {
        var byEpoch = runs.SelectMany(r => r.Epoch.Zip(values(r).Select(v => Math.Log10(v)))).Where(t => double.IsFinite(t.Second))
            .GroupBy(t => t.First).OrderBy(g => g.Key).ToList();
        if (byEpoch.Count == 0) return;
        double[] xs = [.. byEpoch.Select(g => (double)g.Key)];
        double[] mean = [.. byEpoch.Select(g => g.Average(t => t.Second))];
        if (runs.Count > 1)
        {
            var band = plot.Add.FillY(xs, [.. byEpoch.Select(g => g.Min(t => t.Second))], [.. byEpoch.Select(g => g.Max(t => t.Second))]);
            band.FillStyle.Color = color.WithAlpha(0.12);
            band.LineStyle.Width = 0;
        }
        var line = plot.Add.Scatter(xs, mean);
        line.Color = color;
        line.LineWidth = 2;
        line.MarkerSize = dashed ? 0 : 4;
        line.LinePattern = dashed ? LinePattern.Dashed : LinePattern.Solid;
        line.LegendText = label;
    }
}
