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
    public bool HoldsRun => File.Exists(ConfigFile);

    public string CheckpointFile(string name) => System.IO.Path.Combine(CheckpointDir, name + ".ckpt");

    /// <summary>The names of the checkpoints the run has (init, last, final), for error messages.</summary>
    public string CheckpointNames()
    {
        var names = Directory.Exists(CheckpointDir)
            ? Directory.GetFiles(CheckpointDir, "*.ckpt").Select(System.IO.Path.GetFileNameWithoutExtension).Order().ToList()
            : [];
        return names.Count == 0 ? "no checkpoints" : string.Join(", ", names);
    }

    /// <summary>config.json: the resolved config by concept, its canonical string and hash (the run's identity), and the machine.</summary>
    /// <param name="kernels">The kernels each masked layer trains on (--kernels resolved), recorded beside the config.</param>
    public void WriteConfig(TrainConfig config, RunEnvironment environment, IReadOnlyList<Kernels.LayerKernel>? kernels = null)
    {
        string canonical = ConfigHash.Canonical(config);
        var doc = new JsonObject
        {
            ["config"] = ConfigJson.Write(config),
            ["config_hash"] = ConfigHash.HashOf(canonical),
            ["canonical"] = canonical,
            ["environment"] = JsonNode.Parse(Json.Serialize(environment)),
        };
        if (kernels is { Count: > 0 }) doc["kernels"] = JsonNode.Parse(Json.Serialize(kernels));
        AtomicFile.WriteAllText(ConfigFile, doc.ToJsonString(Json.Options));
    }

    /// <summary>Rewrites config.json's config, hash and canonical string for <paramref name="config"/>, keeping the recorded machine.</summary>
    public void RecordIdentity(TrainConfig config)
    {
        var doc = ReadDocument() ?? throw new InvalidOperationException($"{Path} holds no run");
        string canonical = ConfigHash.Canonical(config);
        var updated = new JsonObject
        {
            ["config"] = ConfigJson.Write(config),
            ["config_hash"] = ConfigHash.HashOf(canonical),
            ["canonical"] = canonical,
            ["environment"] = doc["environment"]?.DeepClone(),
        };
        if (doc["kernels"] is { } kernels) updated["kernels"] = kernels.DeepClone();   // what a resumed run keeps
        AtomicFile.WriteAllText(ConfigFile, updated.ToJsonString(Json.Options));
    }

    /// <summary>The kernels config.json records for each masked layer; none for a dense run or one recorded before kernels were.</summary>
    public IReadOnlyList<Kernels.LayerKernel> ReadKernels()
    {
        if (ReadDocument()?["kernels"] is not { } kernels) return [];
        try
        {
            return kernels.Deserialize<List<Kernels.LayerKernel>>(Json.Options) ?? [];
        }
        catch (System.Text.Json.JsonException e)
        {
            throw new SparseLabException($"'{ConfigFile}' records kernels that do not read ({e.Message}); delete the run folder to train it again", inner: e);
        }
    }

    /// <summary>config.json as written, or null when the folder holds no run.</summary>
    public JsonNode? ReadDocument()
    {
        if (!File.Exists(ConfigFile)) return null;
        try
        {
            return JsonNode.Parse(File.ReadAllText(ConfigFile)) ?? throw new System.Text.Json.JsonException("empty document");
        }
        catch (System.Text.Json.JsonException e)
        {
            throw new SparseLabException($"'{ConfigFile}' is not valid JSON ({e.Message}); delete the run folder to train it again", inner: e);
        }
    }

    /// <summary>The config saved in config.json (either form), or null when the folder holds no run.</summary>
    public TrainConfig? ReadConfig()
    {
        var doc = ReadDocument();
        if (doc is null) return null;
        try
        {
            return ConfigJson.Read<TrainConfig>(doc["config"] ?? throw new System.Text.Json.JsonException("no \"config\" object"));
        }
        catch (Exception e) when (e is System.Text.Json.JsonException or InvalidOperationException or FormatException)
        {
            throw new SparseLabException($"'{ConfigFile}' does not hold a readable config ({e.Message})", inner: e);
        }
    }

    public void WriteSummary(TrainingSummary summary) => AtomicFile.WriteAllText(SummaryFile, Json.Serialize(summary));

    public TrainingSummary ReadSummary()
    {
        try
        {
            return Json.Deserialize<TrainingSummary>(File.ReadAllText(SummaryFile));
        }
        catch (System.Text.Json.JsonException e)
        {
            throw new SparseLabException($"'{SummaryFile}' is not a readable summary ({e.Message}); delete it to evaluate the run again", inner: e);
        }
    }

    private string Combine(string name) => System.IO.Path.Combine(Path, name);
}
