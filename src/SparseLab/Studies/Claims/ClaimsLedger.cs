// `study claims`: runs the study each chosen claim reads (resumably, on the
// given executor; the studies share one runs folder, so a run two studies
// need trains once), judges every claim from its study's numbers, and writes
// claims.json and claims.md. The folder remembers each claim's definition
// (its study, words and rule) and the size (--quick or not): a folder written
// under other definitions is refused with what differs, never mixed.
using System.Text.Json.Nodes;
using SparseLab.Foundations;
using SparseLab.Studies.Execution;
using SparseLab.Training;

namespace SparseLab.Studies.Claims;

public sealed record ClaimsResult(
    IReadOnlyList<ClaimRow> Rows, IReadOnlyDictionary<string, string> StudySettings, RunEnvironment Environment, bool Quick, string Command);

public sealed class ClaimsLedger(ClaimsConfig config, string dir, ITrainingObserver observer)
{
    public string Path { get; } = System.IO.Path.GetFullPath(dir);
    public string DefinitionsFile => System.IO.Path.Combine(Path, "claims-config.json");
    public string ResultFile => System.IO.Path.Combine(Path, "claims.json");
    public string RunsDir => System.IO.Path.Combine(Path, "runs");

    /// <summary>The study folder of a ledger study.</summary>
    public StudyFolder Folder(string study) => new(System.IO.Path.Combine(Path, study), RunsDir);

    /// <summary>Runs what the claims need and judges them; null when the executor only submitted the runs (--no-wait).</summary>
    public ClaimsResult? Run(IRunExecutor executor, Action<GapStudyResult, string> writeReport)
    {
        config.Validate();
        var claims = ClaimRegistry.Select(config.Claims);
        var studies = claims.Select(c => c.Study).Distinct().Select(ClaimStudies.Get).ToList();
        var configs = studies.ToDictionary(s => s.Name, s => s.Make(config.Settings));
        foreach (var c in configs.Values) c.Validate();
        Claim(claims);

        var rows = new List<ClaimRow>();
        foreach (var study in studies)
        {
            observer.Message($"[claims] study {study.Name}: {study.Purpose}");
            var folder = Folder(study.Name);
            var result = new GapStudy(configs[study.Name], folder, observer).Run(executor);
            if (result is null) return null;
            writeReport(result, folder.Path);
            foreach (var claim in claims.Where(c => c.Study == study.Name))
                rows.AddRange(claim.Judge(result).Select(r => r with { Setting = Describe(configs[study.Name]), Command = CommandFor(claim) }));
        }
        rows = [.. rows.OrderBy(r => ClaimRegistry.All.ToList().FindIndex(c => r.Id == c.Id || r.Id.StartsWith(c.Id + " ", StringComparison.Ordinal)))];
        var environment = RunEnvironment.Capture(TorchRuntime.SetThreads(config.Threads, _ => { }), "cpu");
        var ledger = new ClaimsResult(rows, configs.ToDictionary(kv => kv.Key, kv => Describe(kv.Value)), environment, config.Quick, Command(config));
        AtomicFile.WriteAllText(ResultFile, Json.Serialize(ledger));
        return ledger;
    }

    /// <summary>Records the claims' definitions, or refuses a folder that holds other definitions of them or the other size.</summary>
    private void Claim(IReadOnlyList<Claim> claims)
    {
        var doc = File.Exists(DefinitionsFile) ? JsonNode.Parse(File.ReadAllText(DefinitionsFile))!.AsObject() : null;
        if (doc is null && Directory.Exists(Path) && Directory.EnumerateFileSystemEntries(Path).Any())
            throw new ConfigError($"{ConfigError.Field("Out")} '{Path}' is not empty and holds no claims ledger; choose an empty or new folder");
        doc ??= new JsonObject { ["quick"] = config.Quick, ["claims"] = new JsonObject() };
        if ((bool?)doc["quick"] != config.Quick)
            throw new ConfigError($"{ConfigError.Field("Out")} '{Path}' holds a {((bool?)doc["quick"] == true ? "--quick" : "full")} ledger; " +
                                  $"use another folder for the {(config.Quick ? "--quick" : "full")} one");
        var saved = doc["claims"]!.AsObject();
        foreach (var claim in claims)
        {
            if (saved[claim.Id] is { } old && (string?)old != claim.Definition)
                throw new ConfigError($"{ConfigError.Field("Out")} '{Path}' holds claim {claim.Id} under another definition " +
                                      $"(differs in: {Difference((string?)old ?? "", claim.Definition)}); use another folder, or delete it to start fresh");
            saved[claim.Id] = claim.Definition;
        }
        Directory.CreateDirectory(Path);
        AtomicFile.WriteAllText(DefinitionsFile, doc.ToJsonString(Json.Options));
    }

    /// <summary>Which of a definition's parts (study, words, rule) changed.</summary>
    private static string Difference(string saved, string now)
    {
        string[] names = ["id", "study", "the claim's words", "the rule"];
        var a = saved.Split('|');
        var b = now.Split('|');
        var differ = names.Where((_, i) => i >= a.Length || i >= b.Length || a[i] != b[i]).ToList();
        return differ.Count == 0 ? "its text" : string.Join(", ", differ);
    }

    /// <summary>The study's setting in words, for the ledger's rows.</summary>
    public static string Describe(GapStudyConfig c)
    {
        var t = c.Train;
        string data = t.Data.LimitTrain is { } n ? $"the first {n:N0} {t.Data.Dataset} training images" : $"{t.Data.Dataset}";
        string noise = t.Data.LabelNoise > 0 ? $", {t.Data.LabelNoise:P0} symmetric label noise" : "";
        string schedule = t.Optimization.LrSchedule == "step"
            ? $"step ÷10 at {string.Join(", ", t.Optimization.Milestones.Select(m => m.ToString()))}"
            : t.Optimization.LrSchedule;
        return $"{t.Model.Name} ({t.Model.Init} init) on {data}{noise}; {t.Optimization.Epochs} epochs, {t.Optimization.Optimizer} lr " +
               $"{t.Optimization.Lr} {schedule}, weight decay {t.Optimization.WeightDecay}, batch {t.Optimization.BatchSize}; {c.Criterion} {c.Budget} " +
               $"pruning{(t.Sparsity.KeepLastDense ? ", last layer dense" : "")} at {string.Join(", ", c.Sparsities.Select(Verdicts.Sparsity))}; " +
               $"{c.Seeds} seeds; methods {string.Join(", ", c.Methods)}";
    }

    private string CommandFor(Claim claim) => $"./sparselab study claims --claims {claim.Id}{(config.Quick ? " --quick" : "")} --out {dir}";

    private string Command(ClaimsConfig c) =>
        $"./sparselab study claims{(c.Claims.Length == ClaimRegistry.All.Count ? "" : " --claims " + string.Join(",", c.Claims))}{(c.Quick ? " --quick" : "")} --out {dir}";
}
