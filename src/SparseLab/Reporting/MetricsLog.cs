// metrics.jsonl: one JSON object per logged event, appended and flushed as it
// happens. On resume, events after the checkpoint's step are dropped first so
// the log reads as if the run had never been interrupted.
using System.Text.Json;
using System.Text.Json.Nodes;
using SparseLab.Foundations;

namespace SparseLab.Reporting;

public sealed class MetricsLog : IDisposable
{
    private readonly StreamWriter _writer;

    public MetricsLog(string path, long? keepUpToStep = null)
    {
        if (keepUpToStep is long step && File.Exists(path))
        {
            var kept = File.ReadLines(path).Where(l => StepOf(l) <= step).ToList();
            AtomicFile.WriteAllText(path, kept.Count == 0 ? "" : string.Join("\n", kept) + "\n");
        }
        else if (keepUpToStep is null && File.Exists(path))
        {
            File.Delete(path);
        }
        _writer = new StreamWriter(path, append: true) { AutoFlush = true };
    }

    public void Write(string eventName, IReadOnlyDictionary<string, object?> fields)
    {
        var obj = new JsonObject { ["event"] = eventName };
        foreach (var (k, v) in fields)
            if (v is not null) obj[k] = JsonSerializer.SerializeToNode(v, Json.Compact);
        _writer.WriteLine(obj.ToJsonString(Json.Compact));
    }

    public static IEnumerable<JsonObject> Read(string path) =>
        File.ReadLines(path).Where(l => l.Length > 0).Select(l => JsonNode.Parse(l)!.AsObject());

    private static long StepOf(string line)
    {
        try { return JsonNode.Parse(line)?["step"]?.GetValue<long>() ?? 0; }
        catch (JsonException) { return long.MaxValue; }   // a torn last line: drop it
    }

    public void Dispose() => _writer.Dispose();
}
