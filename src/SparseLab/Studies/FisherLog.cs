// Reads the Fisher traces a run logged (metrics.jsonl "fisher" events) into a series.
using SparseLab.Reporting;

namespace SparseLab.Studies;

public static class FisherLog
{
    /// <summary>The run's series, or null when it logged no Fisher events.</summary>
    public static FisherSeries? Read(string metricsFile, string method, double sparsity, long seed)
    {
        if (!File.Exists(metricsFile)) return null;
        var events = MetricsLog.Read(metricsFile).Where(e => (string?)e["event"] == "fisher").ToList();
        if (events.Count == 0) return null;
        return new FisherSeries(method, sparsity, seed,
            [.. events.Select(e => (int?)e["epoch"] ?? 0)],
            [.. events.Select(e => (long?)e["step"] ?? 0)],
            [.. events.Select(e => (double?)e["fisher_true"] ?? double.NaN)],
            [.. events.Select(e => (double?)e["fisher_empirical"] ?? double.NaN)]);
    }
}
