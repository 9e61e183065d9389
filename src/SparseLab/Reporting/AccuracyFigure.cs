// accuracy_vs_sparsity.png: test and train accuracy against sparsity, one
// series per method (mean over seeds, error bar = 95 % interval), dense as a
// line with its interval as a band, sparsities in the optimization regime shaded.
using ScottPlot;
using SparseLab.Studies;
using SparseLab.Studies.Methods;

namespace SparseLab.Reporting;

internal static class AccuracyFigure
{
    public static void Save(GapStudyResult result, string path)
    {
        var sparse = result.Cells.Where(c => c.Method != DenseRun.Name).ToList();
        double[] sparsities = sparse.Select(c => c.Sparsity).Distinct().Order().ToArray();
        var optimization = result.Regimes.Where(g => g.Regime == "optimization").Select(g => g.Sparsity).ToHashSet();
        var dense = result.Cells.FirstOrDefault(c => c.Method == DenseRun.Name);
        int seeds = result.Rows.Select(r => r.Seed).Distinct().Count();

        var multiplot = new Multiplot();
        multiplot.AddPlots(2);
        multiplot.Layout = new ScottPlot.MultiplotLayouts.Columns();
        Panel(multiplot.GetPlot(0), "Test accuracy", c => c.TestAccuracy, sparse, sparsities, optimization, dense, seeds);
        Panel(multiplot.GetPlot(1), "Train accuracy", c => c.TrainAccuracy, sparse, sparsities, optimization, dense, seeds);
        FigureStyle.SaveAtomically(path, temp => multiplot.SavePng(temp, FigureStyle.Width, FigureStyle.Height));
    }

    private static void Panel(Plot plot, string metric, Func<StudyCell, Estimate> pick, List<StudyCell> cells,
        double[] sparsities, HashSet<double> optimization, StudyCell? dense, int seeds)
    {
        // Categorical x: position i for the i-th sparsity, so 0.5 … 0.98 spread out evenly.
        bool shaded = false;
        for (int i = 0; i < sparsities.Length; i++)
        {
            if (!optimization.Contains(sparsities[i])) continue;
            var span = plot.Add.HorizontalSpan(i - 0.5, i + 0.5);
            span.FillStyle.Color = Color.FromHex("#ff7f0e").WithAlpha(0.15);
            span.LineStyle.Width = 0;
            if (!shaded) span.LegendText = "optimization regime (shaded)";
            shaded = true;
        }

        if (dense is not null)
        {
            var e = pick(dense);
            if (e.N >= 2)
            {
                var band = plot.Add.VerticalSpan(100 * e.CiLow, 100 * e.CiHigh);
                band.FillStyle.Color = Color.FromHex("#333333").WithAlpha(0.12);
                band.LineStyle.Width = 0;
            }
            var line = plot.Add.HorizontalLine(100 * e.Mean);
            line.LineStyle.Color = FigureStyle.MethodColor(DenseRun.Name);
            line.LineStyle.Width = 2;
            line.LineStyle.Pattern = LinePattern.Dashed;
            line.LegendText = e.N >= 2 ? "dense (band = 95 % CI)" : "dense (1 seed)";
        }

        var methods = FigureStyle.OrderMethods(cells.Select(c => c.Method)).ToList();
        for (int k = 0; k < methods.Count; k++)
        {
            string method = methods[k];
            double offset = methods.Count == 1 ? 0 : 0.2 * (k / (double)(methods.Count - 1) - 0.5);   // keep error bars apart
            var points = cells.Where(c => c.Method == method).OrderBy(c => c.Sparsity)
                .Select(c => (X: Array.IndexOf(sparsities, c.Sparsity) + offset, E: pick(c))).ToArray();
            double[] xs = points.Select(p => p.X).ToArray();
            double[] ys = points.Select(p => 100 * p.E.Mean).ToArray();
            double[] errors = points.Select(p => p.E.N >= 2 ? 100 * (p.E.CiHigh - p.E.Mean) : 0).ToArray();
            var color = FigureStyle.MethodColor(method);
            var bars = plot.Add.ErrorBar(xs, ys, errors);
            bars.Color = color;
            bars.LineWidth = 1.5f;
            var scatter = plot.Add.Scatter(xs, ys);
            scatter.Color = color;
            scatter.LineWidth = 2;
            scatter.MarkerSize = 8;
            scatter.LegendText = method;
        }

        plot.Axes.Bottom.SetTicks(
            Enumerable.Range(0, sparsities.Length).Select(i => (double)i).ToArray(),
            sparsities.Select(ReportFormat.SparsityText).ToArray());
        plot.Axes.SetLimitsX(-0.5, sparsities.Length - 0.5);
        string over = seeds == 1 ? "1 seed, no interval" : $"mean of {seeds} seeds, bars = 95 % CI";
        FigureStyle.Apply(plot, $"{metric} vs sparsity ({over})", "Sparsity (fraction of prunable weights removed)", $"{metric} (%)");
        plot.ShowLegend(Edge.Bottom);
        plot.Legend.Orientation = Orientation.Horizontal;
    }
}
