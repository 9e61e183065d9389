// One run of a study as a file any scheduler can run (`sparselab run-config
// FILE`): its role in the study (label), the folder its run folder goes in,
// the resolved config, the extra checkpoints the study needs from it, and the
// recipes of the masks it trains with. Its run folder is named by the config's
// hash, which counts the masks and runs it references by content, so the
// folder is only known once they exist (ResolveDir); IMP's levels have fixed
// folders (Dir). A file records the folder it was written in, so a study copied
// elsewhere (cp -a) runs its files in the copy: every path under the old study
// is read as the same path under the new one (StudyRelocation).
using System.Text.Json.Nodes;
using SparseLab.Foundations;
using SparseLab.Schedules;
using SparseLab.Training;

namespace SparseLab.Studies.Execution;

/// <summary>An extra checkpoint: after epoch K (When "epoch": the curriculum's dense:epK reference) or step K ("step": IMP's rewind point).</summary>
public sealed record CheckpointSpec(string When, long At, string Path);

/// <param name="Dir">A fixed run folder (IMP's levels); null: named by the label and the config hash under RunsDir.</param>
public sealed record RunSpec(string Label, string RunsDir, TrainConfig Config, IReadOnlyList<CheckpointSpec> Checkpoints, IReadOnlyList<MaskRecipe> Masks,
    string? Dir = null)
{
    /// <summary>The run folder: the study's runs folder, the label and the config hash (as StudyFolder.RunDir names it).</summary>
    public string ResolveDir() => Dir ?? System.IO.Path.Combine(RunsDir, $"{Label}-{ConfigHash.Hash(Config)}");

    /// <summary>The callbacks a run trains with, described; refuses one no file can describe.</summary>
    public static IReadOnlyList<CheckpointSpec> Describe(IReadOnlyList<ITrainingCallback>? callbacks, string label) =>
        [.. (callbacks ?? []).Select(c => c switch
        {
            EpochCheckpoint e => new CheckpointSpec("epoch", e.Epoch, e.Path),
            RewindCheckpoint r => new CheckpointSpec("step", r.Step, r.Path),
            _ => throw new SparseLabException($"the run {label} trains with a {c.GetType().Name}, which a run file cannot describe; use --executor local"),
        })];

    public IReadOnlyList<ITrainingCallback> Callbacks() =>
        [.. Checkpoints.Select(c => c.When == "epoch" ? (ITrainingCallback)new EpochCheckpoint((int)c.At, c.Path) : new RewindCheckpoint(c.At, c.Path))];

    public void Write(string file)
    {
        var doc = new JsonObject
        {
            ["label"] = Label,
            ["runs_dir"] = RunsDir,
            ["config"] = ConfigJson.Write(Config),
            ["checkpoints"] = JsonNode.Parse(Json.Serialize(Checkpoints)),
            ["masks"] = JsonNode.Parse(Json.Serialize(Masks)),
        };
        if (Dir is not null) doc["dir"] = Dir;
        doc[StudyRelocation.WrittenInKey] = System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(file));
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(file)!);
        AtomicFile.WriteAllText(file, doc.ToJsonString(Json.Options));
    }

    public static RunSpec Read(string file)
    {
        if (!File.Exists(file)) throw new ConfigError($"{ConfigError.Field("File")} '{file}' does not exist; give a run file a study wrote (its configs/ folder)");
        try
        {
            var doc = JsonNode.Parse(File.ReadAllText(file)) as JsonObject ?? throw new System.Text.Json.JsonException("not a JSON object");
            StudyRelocation.Apply(doc, file);
            string Text(string key) => doc[key]?.GetValue<string>() ?? throw new System.Text.Json.JsonException($"no \"{key}\"");
            return new RunSpec(Text("label"), Text("runs_dir"),
                ConfigJson.Read<TrainConfig>(doc["config"] ?? throw new System.Text.Json.JsonException("no \"config\"")),
                Json.Deserialize<List<CheckpointSpec>>(doc["checkpoints"]?.ToJsonString() ?? "[]"),
                Json.Deserialize<List<MaskRecipe>>(doc["masks"]?.ToJsonString() ?? "[]"),
                doc["dir"]?.GetValue<string>());
        }
        catch (Exception e) when (e is System.Text.Json.JsonException or InvalidOperationException or FormatException)
        {
            throw new SparseLabException($"'{file}' is not a run file a study wrote ({e.Message})", inner: e);
        }
    }
}
