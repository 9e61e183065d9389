// Shared look of the study figures: one colour per method, font sizes that stay
// readable when a 1200-pixel figure is shrunk onto a page, and PNG saving that
// never leaves half a file behind.
using ScottPlot;

namespace SparseLab.Reporting;

internal static class FigureStyle
{
    public const int Width = 1200, Height = 500;

    private static readonly string[] Palette = ["#2ca02c", "#9467bd", "#8c564b", "#e377c2", "#17becf", "#bcbd22", "#7f7f7f"];

    /// <summary>dense, finetune, scratch first, then the schedules (imp, gmp, set, rigl), then the controls in name order.</summary>
    public static IEnumerable<string> OrderMethods(IEnumerable<string> methods) =>
        methods.Distinct().OrderBy(MethodRank).ThenBy(m => m, StringComparer.Ordinal);

    public static int MethodRank(string method) => method switch
    {
        "dense" => 0, "finetune" => 1, "scratch" => 2, "imp" => 3, "gmp" => 4, "set" => 5, "rigl" => 6, _ => 7,
    };

    public static Color MethodColor(string method, IReadOnlyList<string> controls) => method switch
    {
        "dense" => Color.FromHex("#333333"),
        "finetune" => Color.FromHex("#1f77b4"),
        "scratch" => Color.FromHex("#d62728"),
        "imp" => Color.FromHex("#ff7f0e"),
        "gmp" => Color.FromHex("#8c564b"),
        "set" => Color.FromHex("#e377c2"),
        "rigl" => Color.FromHex("#17becf"),
        _ => Color.FromHex(Palette[Math.Max(0, IndexOf(controls, method)) % Palette.Length]),
    };

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
    public static void SaveAtomically(string path, Action<string> save)
    {
        string dir = Path.GetDirectoryName(Path.GetFullPath(path))!;
        Directory.CreateDirectory(dir);
        string temp = Path.Combine(dir, $".{Path.GetFileNameWithoutExtension(path)}.{Environment.ProcessId}.tmp.png");
        try
        {
            save(temp);
            File.Move(temp, path, overwrite: true);
        }
        finally
        {
            if (File.Exists(temp)) File.Delete(temp);
        }
    }

    private static int IndexOf(IReadOnlyList<string> list, string item)
    {
        for (int i = 0; i < list.Count; i++) if (list[i] == item) return i;
        return -1;
    }
}
