// Shared look of the study figures: one colour per method, font sizes that stay
// readable when a 1200-pixel figure is shrunk onto a page, and PNG saving that
// never leaves half a file behind.
using ScottPlot;
using SparseLab.Foundations;
using SparseLab.Studies.Methods;

namespace SparseLab.Reporting;

internal static class FigureStyle
{
    public const int Width = 1200, Height = 500;

    /// <summary>dense first, then the methods in the registry's order (StudyMethods).</summary>
    public static IEnumerable<string> OrderMethods(IEnumerable<string> methods) =>
        methods.Distinct().OrderBy(StudyMethods.Rank).ThenBy(m => m, StringComparer.Ordinal);

    /// <summary>Every method's own colour (StudyMethods), the dense run's dark grey, grey for anything else.</summary>
    public static Color MethodColor(string method) =>
        Color.FromHex(method == DenseRun.Name ? DenseRun.Color : StudyMethods.Find(method)?.Color ?? "#7f7f7f");

    /// <summary>Whether a method is one of the two the study compares (drawn in every figure) rather than a control, arm or schedule.</summary>
    public static bool IsBaseline(string method) => StudyMethods.Find(method)?.Kind == MethodKind.Baseline;

    public static Color PairColor(int index) =>
        Color.FromHex(new[] { "#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b", "#e377c2" }[index % 7]);

    // ScottPlot's own sans pick falls back to a serif face on a bare Debian; prefer a sans family that is installed.
    private static readonly Lazy<string> SansFamily = new(() =>
    {
        var installed = SkiaSharp.SKFontManager.Default.GetFontFamilies().ToHashSet(StringComparer.OrdinalIgnoreCase);
        return new[] { "DejaVu Sans", "Liberation Sans", "Arial", "Helvetica" }.FirstOrDefault(installed.Contains) ?? Fonts.Sans;
    });

    public static void Apply(Plot plot, string title, string xLabel, string yLabel)
    {
        plot.Font.Set(SansFamily.Value);   // set first: it resets every text's family
        plot.Title(title, size: 17);
        plot.XLabel(xLabel, size: 15);
        plot.YLabel(yLabel, size: 15);
        plot.Axes.Bottom.TickLabelStyle.FontSize = 13;
        plot.Axes.Left.TickLabelStyle.FontSize = 13;
        plot.Legend.FontSize = 12;
    }

    /// <summary>Renders to a temporary PNG beside the target, then renames it into place.</summary>
    public static void SaveAtomically(string path, Action<string> save) =>
        AtomicFile.Replace(path, $".{Path.GetFileNameWithoutExtension(path)}.{Environment.ProcessId}.tmp.png", save);
}
