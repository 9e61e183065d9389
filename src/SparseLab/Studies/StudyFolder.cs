// The folder of a study: its config (written first; a folder written by a
// different config is refused, never mixed), one run folder per run named by
// its role and config hash, masks, cached paths, and the results.
using System.Text.Json.Nodes;
using SparseLab.Foundations;

namespace SparseLab.Studies;

public sealed class StudyFolder(string path)
{
    public string Path { get; } = System.IO.Path.GetFullPath(path);
    public string ConfigFile => Combine("study-config.json");
    public string ResultFile => Combine("study.json");
    public string RunsDir => Combine("runs");
    public string MasksDir => Combine("masks");
    public string PathsDir => Combine("paths");
    /// <summary>Warm-up runs and scores the curriculum arms share.</summary>
    public string ScoreCacheDir => Combine("score-cache");

    public string RunDir(string label, TrainConfig config) => System.IO.Path.Combine(RunsDir, $"{label}-{ConfigHash.Hash(config)}");
    public string MaskFile(string label) => System.IO.Path.Combine(MasksDir, label + ".safetensors");
    public string PathFile(string label) => System.IO.Path.Combine(PathsDir, label + ".json");

    /// <summary>Claims the folder for this config, or refuses one that another config wrote.</summary>
    public void Claim(string kind, string canonical, RunEnvironment environment)
    {
        if (File.Exists(ConfigFile))
        {
            var saved = JsonNode.Parse(File.ReadAllText(ConfigFile))?["canonical"]?.GetValue<string>();
            if (saved != canonical)
                throw new InvalidOptionException(
                    $"--out '{Path}' holds a study written by a different config; use another --out, or delete the folder to start fresh " +
                    $"(saved: {saved}; now: {canonical})");
            return;
        }
        if (Directory.Exists(Path) && Directory.EnumerateFileSystemEntries(Path).Any())
            throw new InvalidOptionException($"--out '{Path}' is not empty and holds no study; choose an empty or new folder");
        Directory.CreateDirectory(Path);
        var doc = new JsonObject
        {
            ["study"] = kind,
            ["canonical"] = canonical,
            ["environment"] = JsonNode.Parse(Json.Serialize(environment)),
        };
        AtomicFile.WriteAllText(ConfigFile, doc.ToJsonString(Json.Options));
    }

    private string Combine(string name) => System.IO.Path.Combine(Path, name);
}
