// A run file names absolute paths: its runs folder, its masks, the dense run it
// prunes, its checkpoints. When the study holding it has been copied or moved,
// those paths still point into the old study, and `run-config` would train
// there. The file records the folder it was written in (STUDY/configs, or
// LEDGER/gap/configs for a claims ledger whose studies share LEDGER/runs); the
// folder it is read from tells where the study is now. The two share a tail
// (configs, gap/configs); what precedes it is the study's old and new root,
// and every path under the old root is read under the new one. A file that
// left its configs folder, or an older file (no record) whose runs folder is
// not in the study holding it, is refused: it would work on another study.
using System.Text.Json.Nodes;
using SparseLab.Foundations;

namespace SparseLab.Studies.Execution;

public static class StudyRelocation
{
    public const string WrittenInKey = "written_in";

    /// <summary>Rewrites <paramref name="doc"/>'s paths for where <paramref name="file"/> is now; refuses a file that would run in another study.</summary>
    public static void Apply(JsonObject doc, string file)
    {
        string now = Path.GetDirectoryName(Path.GetFullPath(file))!;
        if (doc[WrittenInKey]?.GetValue<string>() is not { } then)
        {
            RefuseForeignRunsFolder(doc, file, now);
            return;
        }
        if (then == now) return;
        var (oldRoot, newRoot) = Roots(then, now)
            ?? throw new SparseLabException($"the run file '{file}' was written in {then} and has left its study's configs folder; run it from there, or rerun the study command to write it anew");
        Rebase(doc, oldRoot, newRoot);
    }

    /// <summary>The old and new study roots: the two folders less the tail they share; null when they share none.</summary>
    public static (string Old, string New)? Roots(string then, string now)
    {
        string[] a = Split(then), b = Split(now);
        int shared = 0;
        while (shared < Math.Min(a.Length, b.Length) - 1 && a[^(shared + 1)] == b[^(shared + 1)]) shared++;
        if (shared == 0) return null;
        return (Join(a[..^shared]), Join(b[..^shared]));
    }

    private static void RefuseForeignRunsFolder(JsonObject doc, string file, string now)
    {
        if (doc["runs_dir"]?.GetValue<string>() is not { } runs) return;
        string study = Path.GetDirectoryName(Path.GetFullPath(runs))!;
        if (!IsUnder(now, study))
            throw new SparseLabException($"the run file '{file}' trains into {runs}, the runs folder of another study; rerun the study command in {Path.GetDirectoryName(now)} to write its run files anew");
    }

    /// <summary>Every string under <paramref name="node"/>, in objects and arrays alike, read under the new root.</summary>
    private static void Rebase(JsonNode? node, string oldRoot, string newRoot)
    {
        IEnumerable<JsonNode?> children = node switch { JsonObject o => o.Select(kv => kv.Value), JsonArray a => a, _ => [] };
        foreach (var child in children.ToList())
        {
            if (child is JsonValue v && v.TryGetValue<string>(out var s)) v.ReplaceWith(Moved(s, oldRoot, newRoot));
            else Rebase(child, oldRoot, newRoot);
        }
    }

    /// <summary>The path under the new root when <paramref name="value"/> is under the old one; other values as they are.</summary>
    public static string Moved(string value, string oldRoot, string newRoot) =>
        value == oldRoot ? newRoot
        : value.StartsWith(oldRoot + Path.DirectorySeparatorChar, StringComparison.Ordinal) ? newRoot + value[oldRoot.Length..]
        : value;

    private static bool IsUnder(string path, string folder) =>
        path == folder || path.StartsWith(folder.TrimEnd(Path.DirectorySeparatorChar) + Path.DirectorySeparatorChar, StringComparison.Ordinal);

    private static string[] Split(string path) => path.Split(Path.DirectorySeparatorChar, StringSplitOptions.RemoveEmptyEntries);

    private static string Join(string[] parts) => Path.DirectorySeparatorChar + string.Join(Path.DirectorySeparatorChar, parts);
}
