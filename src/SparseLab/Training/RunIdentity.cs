// Whether a run folder holds the run a config describes. Folders written now
// record their canonical string; older ones (before file references were
// hashed by content) are recognised by the canonical string of that time,
// with their literal paths, or, for a study that was copied or moved, with
// only the last parts of each path (masks/NAME, runs/NAME:init), which a
// study names the same wherever it lies.
using System.Text.Json.Nodes;
using SparseLab.Foundations;

namespace SparseLab.Training;

public static class RunIdentity
{
    /// <summary>Whether the recorded run is this config's run, in place.</summary>
    public static bool Matches(JsonNode doc, TrainConfig config) => Recorded(doc, config, Literal) == Current(doc, config, Literal);

    /// <summary>Whether a run recorded before references were hashed by content is this config's run, wherever its study now lies.</summary>
    public static bool MatchesMoved(JsonNode doc, TrainConfig config) =>
        doc["canonical"] is null && Recorded(doc, config, Tail) == Current(doc, config, Tail);

    /// <summary>"Lr (saved 0.1, now 0.05); Epochs (saved 2, now the default)": how the recorded run differs from this config.</summary>
    public static string Difference(JsonNode doc, TrainConfig config)
    {
        var saved = Parts(Recorded(doc, config, Literal));
        var now = Parts(Current(doc, config, Literal));
        var names = saved.Keys.Union(now.Keys).Where(k => saved.GetValueOrDefault(k) != now.GetValueOrDefault(k)).Order(StringComparer.Ordinal);
        return string.Join("; ", names.Select(k => $"{k} (saved {saved.GetValueOrDefault(k) ?? "the default"}, now {now.GetValueOrDefault(k) ?? "the default"})"));
    }

    private static string Recorded(JsonNode doc, TrainConfig config, Func<string, string> reference) =>
        doc["canonical"]?.GetValue<string>()
        ?? ConfigHash.LegacyCanonical(ConfigJson.Read<TrainConfig>(doc["config"]!), new TrainConfig(), reference);

    private static string Current(JsonNode doc, TrainConfig config, Func<string, string> reference) =>
        doc["canonical"] is not null ? ConfigHash.Canonical(config) : ConfigHash.LegacyCanonical(config, new TrainConfig(), reference);

    private static string Literal(string path) => path;

    /// <summary>/a/b/study/runs/dense-seed1-x:init → runs/dense-seed1-x:init.</summary>
    private static string Tail(string path)
    {
        var parts = path.Replace('\\', '/').TrimEnd('/').Split('/');
        return string.Join("/", parts.TakeLast(2));
    }

    private static Dictionary<string, string> Parts(string canonical) =>
        canonical.Length == 0 ? [] : canonical.Split(';').Select(p => p.Split('=', 2)).ToDictionary(p => p[0], p => p.Length > 1 ? p[1] : "");
}
