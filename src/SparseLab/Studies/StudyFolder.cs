// The folder of a study: its config (written first; a folder written by a
// different config is refused, never mixed), one run folder per run named by
// its role and config hash, masks, cached paths, and the results.
using System.Text.Json.Nodes;
using SparseLab.Foundations;
using SparseLab.Training;

namespace SparseLab.Studies;

/// <param name="runsDir">Where the run folders go (default: runs/ inside the study); studies of a sweep share one, so the runs
/// they have in common (dense, finetune, scratch, warm-ups) train once.</param>
public sealed class StudyFolder(string path, string? runsDir = null)
{
    public string Path { get; } = System.IO.Path.GetFullPath(path);
    public string ConfigFile => Combine("study-config.json");
    public string ResultFile => Combine("study.json");
    public string RunsDir { get; } = System.IO.Path.GetFullPath(runsDir ?? System.IO.Path.Combine(path, "runs"));
    public string MasksDir => Combine("masks");
    public string PathsDir => Combine("paths");
    /// <summary>Every run's resolved config as a run file (`sparselab run-config FILE`).</summary>
    public string ConfigsDir => Combine("configs");
    /// <summary>Batch scripts, job logs and the job ids of a study run through Slurm.</summary>
    public string SlurmDir => Combine("slurm");
    /// <summary>Warm-up runs and scores the curriculum arms share (beside the run folders).</summary>
    public string ScoreCacheDir => System.IO.Path.Combine(System.IO.Path.GetDirectoryName(RunsDir)!, "score-cache");

    public string RunDir(string label, TrainConfig config) => System.IO.Path.Combine(RunsDir, $"{label}-{ConfigHash.Hash(config)}");
    public string MaskFile(string label) => System.IO.Path.Combine(MasksDir, label + ".safetensors");
    public string PathFile(string label) => System.IO.Path.Combine(PathsDir, label + ".json");
    public string RunFile(string label) => System.IO.Path.Combine(ConfigsDir, label + ".json");

    /// <summary>Claims the folder for this kind of study and config, or refuses one that another config, a run or other files hold.</summary>
    /// <param name="legacy">The string an older SparseLab claimed the same config under: such a folder is taken and its record rewritten.</param>
    public void Claim(string kind, string canonical, RunEnvironment environment, string? legacy = null)
    {
        if (File.Exists(Path))
            throw new ConfigError($"{Out} '{Path}' is a file; give a folder for the study");
        if (File.Exists(ConfigFile))
        {
            var saved = JsonNode.Parse(File.ReadAllText(ConfigFile));
            string? savedKind = saved?["study"]?.GetValue<string>(), savedCanonical = saved?["canonical"]?.GetValue<string>();
            if (savedKind != kind)
                throw new ConfigError($"{Out} '{Path}' holds a {savedKind} study, not a {kind} one; choose another folder");
            if (legacy is not null && savedCanonical == legacy)
            {
                saved!["canonical"] = canonical;
                AtomicFile.WriteAllText(ConfigFile, saved.ToJsonString(Json.Options));
                return;
            }
            if (savedCanonical != canonical)
                throw new ConfigError(
                    $"{Out} '{Path}' was written by a different config; use another folder, or delete the folder to start fresh " +
                    $"(differs in: {Difference(savedCanonical ?? "", legacy is not null && savedCanonical?.StartsWith("v2;") == false ? legacy : canonical)})");
            return;
        }
        if (File.Exists(System.IO.Path.Combine(Path, "config.json")))
            throw new ConfigError($"{Out} '{Path}' holds a training run, not a study; choose an empty or new folder");
        if (Directory.Exists(Path) && Directory.EnumerateFileSystemEntries(Path).Any())
            throw new ConfigError($"{Out} '{Path}' is not empty and holds no study; choose an empty or new folder");
        Directory.CreateDirectory(Path);
        var doc = new JsonObject
        {
            ["study"] = kind,
            ["canonical"] = canonical,
            ["environment"] = JsonNode.Parse(Json.Serialize(environment)),
        };
        AtomicFile.WriteAllText(ConfigFile, doc.ToJsonString(Json.Options));
    }

    /// <summary>The study's whole config (slurm/study-config.json), written when its runs train elsewhere, for `study collect`.</summary>
    public string StudyConfigFile => System.IO.Path.Combine(SlurmDir, "study-config.json");

    public void WriteStudyConfig(JsonObject config)
    {
        Directory.CreateDirectory(SlurmDir);
        AtomicFile.WriteAllText(StudyConfigFile, config.ToJsonString(Json.Options));
    }

    /// <summary>
    /// Where a run is about to train in <paramref name="dir"/> and no folder is there: takes over a folder of the same
    /// role written before runs were named by content (its recorded config matches, with its paths read relative
    /// to the study), renaming it and recording its new identity. True when one was adopted.
    /// </summary>
    public bool Adopt(string label, TrainConfig config, string dir)
    {
        if (Directory.Exists(dir) || !Directory.Exists(RunsDir)) return false;
        foreach (var candidate in Directory.EnumerateDirectories(RunsDir, label + "-*"))
        {
            if (System.IO.Path.GetFileName(candidate).Length != label.Length + 13) continue;   // label-<12 hex digits>
            var run = new RunFolder(candidate);
            var doc = run.ReadDocument();
            if (doc is null || !(RunIdentity.Matches(doc, config) || RunIdentity.MatchesMoved(doc, config))) continue;
            Directory.Move(candidate, dir);
            new RunFolder(dir).RecordIdentity(config);
            return true;
        }
        return false;
    }

    /// <summary>"seeds (saved 2, now 3)": the parts of two canonical strings that differ.</summary>
    private static string Difference(string saved, string now)
    {
        var a = saved.Split(';');
        var b = now.Split(';');
        var diff = a.Except(b).Select(x => $"saved {x}").Concat(b.Except(a).Select(x => $"now {x}")).ToList();
        return diff.Count == 0 ? "the order of its parts" : string.Join("; ", diff);
    }

    /// <summary>The study folder, as the caller named it (--out).</summary>
    private static string Out => ConfigError.Field("Out");

    private string Combine(string name) => System.IO.Path.Combine(Path, name);
}
