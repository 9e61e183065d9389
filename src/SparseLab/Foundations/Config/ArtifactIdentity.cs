// What a file reference in a config points at, independent of where it lies:
// a run folder is the config hash recorded in its config.json (plus the
// checkpoint asked for), a file is the SHA-256 of its bytes. A study copied
// or moved elsewhere therefore computes the same run hashes and finds its
// finished runs. Hashes of files are cached by (path, size, modification
// time) so planning a study does not read every mask again.
using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text.Json.Nodes;

namespace SparseLab.Foundations;

public static class ArtifactIdentity
{
    private static readonly ConcurrentDictionary<(string, long, DateTime), string> FileHashes = new();

    /// <summary>The identity of a reference of the given kind; a target that does not exist is named by its path.</summary>
    public static string Of(string text, ReferenceKind kind) => Spell(text, kind, Identify);

    /// <summary>Rewrites the path parts of a reference with <paramref name="path"/>, keeping prefixes (file:, run:), #COLUMN and :CHECKPOINT.</summary>
    public static string Spell(string text, ReferenceKind kind, Func<string, string> path)
    {
        if (kind == ReferenceKind.Prefixed)
        {
            if (text.StartsWith("file:", StringComparison.Ordinal))
            {
                string rest = text[5..];
                int hash = rest.LastIndexOf('#');
                return "file:" + (hash < 0 ? path(rest) : path(rest[..hash]) + rest[hash..]);
            }
            return text.StartsWith("run:", StringComparison.Ordinal) ? "run:" + path(text[4..]) : text;
        }
        return path(text);
    }

    /// <summary>RUN, RUN:NAME or FILE → run:HASH[:NAME] or sha256:HASH; missing:TEXT when there is nothing there.</summary>
    private static string Identify(string text)
    {
        if (Directory.Exists(text)) return RunIdentity(text) ?? "missing:" + text;
        if (File.Exists(text)) return "sha256:" + FileHash(text);
        int colon = text.LastIndexOf(':');
        if (colon > 0 && Directory.Exists(text[..colon]) && RunIdentity(text[..colon]) is { } run)
            return $"{run}:{text[(colon + 1)..]}";
        return "missing:" + text;
    }

    /// <summary>"run:" + the config hash a run folder recorded, or null when it holds no run.</summary>
    private static string? RunIdentity(string dir)
    {
        string file = Path.Combine(dir, "config.json");
        if (!File.Exists(file)) return null;
        try
        {
            return JsonNode.Parse(File.ReadAllText(file))?["config_hash"]?.GetValue<string>() is { } hash ? "run:" + hash : null;
        }
        catch (System.Text.Json.JsonException)
        {
            return null;
        }
    }

    private static string FileHash(string path)
    {
        var info = new FileInfo(path);
        return FileHashes.GetOrAdd((info.FullName, info.Length, info.LastWriteTimeUtc), _ =>
        {
            using var stream = File.OpenRead(path);
            return Convert.ToHexStringLower(SHA256.HashData(stream))[..16];
        });
    }
}
