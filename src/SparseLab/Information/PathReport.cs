// path.json, the file `sparselab interpolate` writes: the two ends, how
// BatchNorm statistics were handled, and one array per quantity along α.
using SparseLab.Foundations;

namespace SparseLab.Information;

public sealed record PathReport(
    string From, string To, string BatchNorm,
    IReadOnlyList<double> Alpha, IReadOnlyList<double> TrainLoss, IReadOnlyList<double> TestLoss,
    IReadOnlyList<double> TrainAccuracy, IReadOnlyList<double> TestAccuracy)
{
    public static PathReport Of(string from, string to, PathOptions options, IReadOnlyList<PathPoint> points) => new(
        from, to, options.BatchNorm,
        [.. points.Select(p => p.Alpha)], [.. points.Select(p => p.TrainLoss)], [.. points.Select(p => p.TestLoss)],
        [.. points.Select(p => p.TrainAccuracy)], [.. points.Select(p => p.TestAccuracy)]);

    /// <summary>Writes the report as JSON, atomically (a crash leaves the old file or the new one).</summary>
    public void Write(string path) => AtomicFile.WriteAllText(path, Json.Serialize(this));

    public static PathReport Read(string path) => Json.Deserialize<PathReport>(File.ReadAllText(path));
}
