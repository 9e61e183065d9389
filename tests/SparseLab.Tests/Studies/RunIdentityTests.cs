// Run identity is path-free: a study copied elsewhere finds its finished runs
// by content, a study written before references were hashed by content is
// adopted (its run folders renamed, never retrained), and `imp` refuses a
// folder written by other settings, a run or a study.
using System.Text.Json.Nodes;
using SparseLab.Foundations;
using SparseLab.Tests.Cli;
using SparseLab.Training;

namespace SparseLab.Tests.Studies;

[Trait("Category", "Slow")]
public sealed class RunIdentityTests
{
    private static readonly string[] Study =
    [
        "study", "gap", "--dataset", "synthetic", "--model", "mlp", "--threads", "1", "--limit-train", "256", "--limit-test", "64",
        "--epochs", "1", "--batch-size", "64", "--sparsities", "0.9", "--methods", "finetune,scratch", "--seeds", "1", "--points", "0", "--no-fisher", "--no-curvature",
    ];

    private static CliResult RunStudy(string dir) => CliRunner.Run([.. Study, "--out", dir]);

    private static Dictionary<string, DateTime> Summaries(string study) =>
        Directory.GetDirectories(Path.Combine(study, "runs"))
            .ToDictionary(d => Path.GetFileName(d), d => File.GetLastWriteTimeUtc(Path.Combine(d, "summary.json")));

    private static void Copy(string from, string to)
    {
        foreach (var dir in Directory.GetDirectories(from, "*", SearchOption.AllDirectories))
            Directory.CreateDirectory(dir.Replace(from, to));
        foreach (var file in Directory.GetFiles(from, "*", SearchOption.AllDirectories))
            File.Copy(file, file.Replace(from, to));
    }

    [Fact]
    public void Given_a_copied_study_When_rerun_Then_every_run_is_found_and_none_trains_again()
    {
        using var dir = new TempDir();
        string a = dir.Combine("a"), b = dir.Combine("b");
        Assert.Equal(0, RunStudy(a).ExitCode);
        Copy(a, b);
        Directory.Delete(a, recursive: true);
        var before = Summaries(b);
        var r = RunStudy(b);
        Assert.True(r.ExitCode == 0, r.Err);
        Assert.Equal(before, Summaries(b));                               // same folders, none rewritten
        Assert.DoesNotContain("training", r.Out.Replace("trains", ""));
    }

    [Fact]
    public void Given_a_moved_study_written_before_content_hashing_When_rerun_Then_its_runs_are_adopted_not_retrained()
    {
        using var dir = new TempDir();
        string a = dir.Combine("a"), b = dir.Combine("b");
        Assert.Equal(0, RunStudy(a).ExitCode);
        foreach (var run in Directory.GetDirectories(Path.Combine(a, "runs"), "*-s0.9-*")) MakeLegacy(run);
        var legacy = Summaries(a).Keys.Order().ToList();
        Copy(a, b);
        Directory.Delete(a, recursive: true);

        var r = RunStudy(b);
        Assert.True(r.ExitCode == 0, r.Err);
        Assert.Equal(2, r.Out.Split('\n').Count(l => l.Contains("adopted")));   // finetune and scratch
        var now = Summaries(b);
        Assert.Equal(3, now.Count);                                         // no orphan folders
        Assert.NotEqual(legacy, now.Keys.Order().ToList());                 // renamed to their content hashes
        foreach (var run in Directory.GetDirectories(Path.Combine(b, "runs")))
        {
            var doc = new RunFolder(run).ReadDocument()!;
            Assert.NotNull(doc["canonical"]);
            Assert.EndsWith((string)doc["config_hash"]!, run);
        }
        Assert.DoesNotContain("[mlp on synthetic] training", r.Out);
    }

    /// <summary>Rewrites a run as the code before content hashing wrote it: flat config.json, folder named by the hash of its literal paths.</summary>
    private static void MakeLegacy(string run)
    {
        var folder = new RunFolder(run);
        var config = folder.ReadConfig()!;
        var flat = new JsonObject();
        foreach (var f in ConfigSchema.Of<TrainConfig>().Fields)
        {
            var value = f.Get(config);
            flat[Names.Snake(f.HashName)] = value switch
            {
                null => null,
                Duration d => d.Value,
                Duration[] list => new JsonArray([.. list.Select(d => (JsonNode?)d.Value)]),
                _ => JsonNode.Parse(Json.Serialize(value)),
            };
        }
        string hash = ConfigHash.HashOf(ConfigHash.LegacyCanonical(config, new TrainConfig(), p => p));
        var doc = folder.ReadDocument()!;
        File.WriteAllText(folder.ConfigFile, new JsonObject
        {
            ["config"] = flat, ["config_hash"] = hash, ["environment"] = doc["environment"]!.DeepClone(),
        }.ToJsonString());
        string label = Path.GetFileName(run)[..^13];
        Directory.Move(run, Path.Combine(Path.GetDirectoryName(run)!, $"{label}-{hash}"));
    }

    [Fact]
    public void Given_an_imp_folder_When_rerun_with_another_rate_or_pointed_at_a_run_Then_it_is_refused()
    {
        using var dir = new TempDir();
        string[] tiny = ["--dataset", "synthetic", "--model", "mlp", "--threads", "1", "--limit-train", "256", "--limit-test", "64", "--epochs", "1", "--batch-size", "64"];
        string imp = dir.Combine("imp");
        Assert.Equal(0, CliRunner.Run(["imp", .. tiny, "--levels", "1", "--prune-rate", "0.5", "--out", imp]).ExitCode);
        var again = CliRunner.Run(["imp", .. tiny, "--levels", "1", "--prune-rate", "0.3", "--out", imp]);
        Assert.Equal(2, again.ExitCode);
        Assert.Contains("was written by a different config", again.Err);
        Assert.Contains("rate=0.3", again.Err);

        string run = dir.Combine("run");
        Assert.Equal(0, CliRunner.Run(["train", .. tiny, "--out", run]).ExitCode);
        var onRun = CliRunner.Run(["imp", .. tiny, "--levels", "1", "--out", run]);
        Assert.Equal(2, onRun.ExitCode);
        Assert.Contains("holds a training run", onRun.Err);

        string study = dir.Combine("study");
        Assert.Equal(0, RunStudy(study).ExitCode);
        var onStudy = CliRunner.Run(["imp", .. tiny, "--levels", "1", "--out", study]);
        Assert.Equal(2, onStudy.ExitCode);
        Assert.Contains("holds a gap study", onStudy.Err);
    }
}
