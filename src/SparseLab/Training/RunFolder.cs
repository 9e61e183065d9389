// The files of one run (the contract in ARCHITECTURE.md): config.json,
// metrics.jsonl, summary.json (written last, only when the run finished),
// checkpoints/ and tb/ (TensorBoard events).
using System.Text.Json;
using System.Text.Json.Nodes;
using SparseLab.Foundations;

namespace SparseLab.Training;

public sealed class RunFolder(string path)
{
    public string Path { get; } = System.IO.Path.GetFullPath(path);
    public string ConfigFile => Combine("config.json");
    public string MetricsFile => Combine("metrics.jsonl");
    public string SummaryFile => Combine("summary.json");
    public string CheckpointDir => Combine("checkpoints");
    public string TensorBoardDir => Combine("tb");
    /// <summary>The mask the run trained with (safetensors, `masks.*` keys); absent for dense runs.</summary>
    public string MaskFile => Combine("mask.safetensors");
    public string InitCheckpoint => CheckpointFile("init");
    public string LastCheckpoint => CheckpointFile("last");
    public string FinalCheckpoint => CheckpointFile("final");

    public bool IsFinished => File.Exists(SummaryFile);
    public bool HasCheckpoint => File.Exists(LastCheckpoint);

    public string CheckpointFile(string name) => System.IO.Path.Combine(CheckpointDir, name + ".ckpt");

    /// <summary>The names of the checkpoints the run has (init, last, final), for error messages.</summary>
    public string CheckpointNames()
    {
        var names = Directory.Exists(CheckpointDir)
            ? Directory.GetFiles(CheckpointDir, "*.ckpt").Select(System.IO.Path.GetFileNameWithoutExtension).Order().ToList()
            : [];
        return names.Count == 0 ? "no checkpoints" : string.Join(", ", names);
    }

    public void WriteConfig(TrainConfig config, RunEnvironment environment)
    {
        var doc = new JsonObject
        {
            ["config"] = JsonNode.Parse(Json.Serialize(config)),
            ["config_hash"] = ConfigHash.Hash(config),
            ["environment"] = JsonNode.Parse(Json.Serialize(environment)),
        };
        AtomicFile.WriteAllText(ConfigFile, doc.ToJsonString(Json.Options));
    }

    /// <summary>The config saved in config.json, or null when the folder holds no run.</summary>
    public TrainConfig? ReadConfig()
    {
        if (!File.Exists(ConfigFile)) return null;
        try
        {
            var doc = JsonNode.Parse(File.ReadAllText(ConfigFile));
            return doc?["config"]?.Deserialize<TrainConfig>(Json.Options);
        }
        catch (System.Text.Json.JsonException e)
        {
            throw new SparseLabException($"'{ConfigFile}' is not valid JSON ({e.Message})", inner: e);
        }
    }

    public void WriteSummary(TrainingSummary summary) => AtomicFile.WriteAllText(SummaryFile, Json.Serialize(summary));

    public TrainingSummary ReadSummary() => Json.Deserialize<TrainingSummary>(File.ReadAllText(SummaryFile));

    private string Combine(string name) => System.IO.Path.Combine(Path, name);
}
