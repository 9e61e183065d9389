// How numbers read in reports: accuracies as percentages, gaps in percentage
// points with their interval, sparsities as given, culture-invariant always.
using System.Collections;
using System.Globalization;
using System.Text.Json;
using SparseLab.Studies;

namespace SparseLab.Reporting;

public static class ReportFormat
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    /// <summary>0.9 → "0.9", 0.98 → "0.98": the sparsity as the study names it (also used in file names).</summary>
    public static string SparsityText(double s) => s.ToString("0.####", Inv);

    /// <summary>0.9 → "90 %".</summary>
    public static string SparsityPercent(double s) => (100 * s).ToString("0.##", Inv) + " %";

    /// <summary>An accuracy fraction as a percentage with two decimals.</summary>
    public static string Percent(double fraction) => (100 * fraction).ToString("0.00", Inv);

    /// <summary>A signed difference of accuracy fractions in percentage points.</summary>
    public static string Points(double fraction) => (100 * fraction).ToString("+0.00;-0.00;0.00", Inv);

    /// <summary>"91.23 ± 0.45 [90.11, 92.35]" (percent); with one seed, "91.23 (1 seed, no interval)".</summary>
    public static string AccuracyEstimate(Estimate e) => e.N < 2
        ? $"{Percent(e.Mean)} (1 seed, no interval)"
        : $"{Percent(e.Mean)} ± {Percent(e.Sd)} [{Percent(e.CiLow)}, {Percent(e.CiHigh)}]";

    /// <summary>A loss in nats: "1.2345 ± 0.0123 [1.2001, 1.2689]"; with one seed, "1.2345 (1 seed, no interval)".</summary>
    public static string LossEstimate(Estimate e) => e.N < 2
        ? $"{e.Mean.ToString("0.0000", Inv)} (1 seed, no interval)"
        : $"{e.Mean.ToString("0.0000", Inv)} ± {e.Sd.ToString("0.0000", Inv)} [{e.CiLow.ToString("0.0000", Inv)}, {e.CiHigh.ToString("0.0000", Inv)}]";

    /// <summary>"+1.23 [+0.50, +1.96]" (percentage points); with one seed, "+1.23 (1 seed, no interval)".</summary>
    public static string GapEstimate(Estimate e) => e.N < 2
        ? $"{Points(e.Mean)} (1 seed, no interval)"
        : $"{Points(e.Mean)} [{Points(e.CiLow)}, {Points(e.CiHigh)}]";

    /// <summary>A value from a config or environment dictionary, as plain text.</summary>
    public static string Value(object? v) => v switch
    {
        null => "—",
        string s => s,
        bool b => b ? "true" : "false",
        JsonElement j => Json(j),
        IFormattable f => f.ToString(null, Inv),
        IDictionary d => string.Join(", ", d.Keys.Cast<object>().Select(k => $"{Value(k)}={Value(d[k])}")),
        IEnumerable e => string.Join(", ", e.Cast<object?>().Select(Value)),
        _ => v.ToString() ?? "",
    };

    private static string Json(JsonElement j) => j.ValueKind switch
    {
        JsonValueKind.String => j.GetString() ?? "",
        JsonValueKind.Null or JsonValueKind.Undefined => "—",
        JsonValueKind.Array => string.Join(", ", j.EnumerateArray().Select(Json)),
        _ => j.GetRawText(),
    };
}
