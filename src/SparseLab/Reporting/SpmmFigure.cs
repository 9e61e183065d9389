// spmm-speedup.png and the Markdown table of a `bench spmm` sweep: our
// kernel's speedup over libtorch's dense torch.mm against sparsity, one panel
// per layer size and one line per batch size, on a log scale, with the
// break-even line and the compute limit 1 / density.
using System.Globalization;
using System.Text;
using ScottPlot;
using SparseLab.Foundations;

namespace SparseLab.Reporting;

/// <summary>One JSON line of `bench spmm` (the fields the report uses).</summary>
public sealed record SpmmResult(string Layout, double Sparsity, int Rows, int Cols, int Batch, int Threads,
    double OursMs, double DenseMs, double TorchSparseMs, double Gflops, double SpeedupVsDense, double SpeedupVsTorchSparse);

public static class SpmmFigure
{
    /// <summary>Every field of a result must be on its line: one left out would read as 0 and print a table of zeros.</summary>
    private static readonly System.Text.Json.JsonSerializerOptions Complete = new(Json.Options) { RespectRequiredConstructorParameters = true };

    /// <summary>The results in a JSONL file; DataException for a line that is not one.</summary>
    public static IReadOnlyList<SpmmResult> Read(string path)
    {
        if (!File.Exists(path)) throw new ConfigError($"{ConfigError.Field("Results")} '{path}' does not exist");
        var rows = new List<SpmmResult>();
        foreach (var (line, number) in File.ReadLines(path).Select((l, i) => (l, i + 1)).Where(p => p.l.TrimStart().StartsWith('{')))
        {
            try { rows.Add(System.Text.Json.JsonSerializer.Deserialize<SpmmResult>(line, Complete) ?? throw new System.Text.Json.JsonException("null")); }
            catch (System.Text.Json.JsonException e) { throw new DataException($"'{path}' line {number} is not a bench spmm result ({e.Message})"); }
        }
        return rows.Count > 0 ? rows : throw new DataException($"'{path}' holds no bench spmm results");
    }

    public static void Save(IReadOnlyList<SpmmResult> results, string path)
    {
        var sizes = results.Select(r => (r.Rows, r.Cols)).Distinct().OrderBy(s => s.Rows * (long)s.Cols).ToList();
        var multiplot = new Multiplot();
        multiplot.AddPlots(sizes.Count);
        multiplot.Layout = new ScottPlot.MultiplotLayouts.Columns();
        for (int i = 0; i < sizes.Count; i++)
            Panel(multiplot.GetPlot(i), results.Where(r => (r.Rows, r.Cols) == sizes[i] && r.Layout == "csr").ToList(), sizes[i]);
        FigureStyle.SaveAtomically(path, temp => multiplot.SavePng(temp, FigureStyle.Width, FigureStyle.Height));
    }

    private static void Panel(Plot plot, List<SpmmResult> cells, (int Rows, int Cols) size)
    {
        // Categorical x (0.5 … 0.99 evenly spread); y = log10(speedup) with ticks labelled as speedups.
        double[] sparsities = cells.Select(c => c.Sparsity).Distinct().Order().ToArray();
        var limit = plot.Add.Scatter(Enumerable.Range(0, sparsities.Length).Select(i => (double)i).ToArray(),
            sparsities.Select(s => Math.Log10(1 / (1 - s))).ToArray());
        limit.Color = Color.FromHex("#999999");
        limit.LinePattern = LinePattern.Dotted;
        limit.LineWidth = 2;
        limit.MarkerSize = 0;
        limit.LegendText = "compute limit 1/density";
        var even = plot.Add.HorizontalLine(0);
        even.LineStyle.Color = Color.FromHex("#333333");
        even.LineStyle.Pattern = LinePattern.Dashed;
        even.LegendText = "break-even with dense";

        var batches = cells.Select(c => c.Batch).Distinct().Order().ToList();
        for (int k = 0; k < batches.Count; k++)
        {
            var points = cells.Where(c => c.Batch == batches[k]).OrderBy(c => c.Sparsity).ToArray();
            var s = plot.Add.Scatter(points.Select(c => (double)Array.IndexOf(sparsities, c.Sparsity)).ToArray(),
                points.Select(c => Math.Log10(c.SpeedupVsDense)).ToArray());
            s.Color = FigureStyle.PairColor(k);
            s.LineWidth = 2;
            s.MarkerSize = 8;
            s.LegendText = $"batch {batches[k]}";
        }
        plot.Axes.Bottom.SetTicks(Enumerable.Range(0, sparsities.Length).Select(i => (double)i).ToArray(),
            sparsities.Select(s => s.ToString("0.###", CultureInfo.InvariantCulture)).ToArray());
        double[] ticks = [0.25, 0.5, 1, 2, 3, 5, 10, 20, 50, 100];
        plot.Axes.Left.SetTicks(ticks.Select(Math.Log10).ToArray(), ticks.Select(t => t.ToString(CultureInfo.InvariantCulture) + "×").ToArray());
        FigureStyle.Apply(plot, $"{size.Rows}×{size.Cols} weight: speedup over dense torch.mm", "sparsity", "speedup (log scale)");
        plot.Legend.Alignment = Alignment.UpperLeft;
    }

    /// <summary>A Markdown table: one row per case, ours, libtorch dense and sparse in ms, GFLOP/s and both speedups.</summary>
    public static string Table(IReadOnlyList<SpmmResult> results)
    {
        var b = new StringBuilder();
        b.AppendLine("| layout | rows×cols | batch | sparsity | ours ms | dense ms | torch sparse ms | GFLOP/s | × dense | × torch sparse |");
        b.AppendLine("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var r in results.OrderBy(r => r.Layout).ThenBy(r => r.Rows).ThenBy(r => r.Batch).ThenBy(r => r.Sparsity))
            b.AppendLine(string.Create(CultureInfo.InvariantCulture,
                $"| {r.Layout} | {r.Rows}×{r.Cols} | {r.Batch} | {r.Sparsity:0.###} | {r.OursMs:0.###} | {r.DenseMs:0.###} | {r.TorchSparseMs:0.###} | {r.Gflops:0.#} | {r.SpeedupVsDense:0.00} | {r.SpeedupVsTorchSparse:0.0} |"));
        return b.ToString();
    }
}
