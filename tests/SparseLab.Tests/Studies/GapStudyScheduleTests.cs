// The gap study with every method: imp, gmp, set and rigl enter the rows at
// the study's sparsity, with paths to Sol-F, Fisher series, training cost and
// the ranking section of the report.
using System.Text.Json.Nodes;
using SparseLab.Tests.Cli;

namespace SparseLab.Tests.Studies;

[Trait("Category", "Slow")]
public sealed class GapStudyScheduleTests
{
    [Fact]
    public void Given_all_six_methods_Then_each_has_a_row_on_target_a_path_to_sol_f_a_cost_and_a_rank()
    {
        using var dir = new TempDir();
        string outDir = dir.Combine("gap");
        var r = CliRunner.Run(["study", "gap", "--dataset", "synthetic", "--model", "mlp", "--sparsities", "0.75", "--seeds", "1", "--epochs", "1",
            "--limit-train", "256", "--limit-test", "64", "--batch-size", "64", "--points", "3", "--path-train", "64", "--path-test", "64",
            "--threads", "1", "--fisher-samples", "32", "--no-curvature", "--methods", "scratch,finetune,imp,gmp,set,rigl",
            "--prune-rate", "0.5", "--update-every", "1", "--out", outDir]);
        Assert.True(r.ExitCode == 0, r.Err);

        var study = JsonNode.Parse(File.ReadAllText(Path.Combine(outDir, "study.json")))!;
        var rows = study["rows"]!.AsArray().Where(x => (string?)x!["method"] != "dense").ToList();
        Assert.Equal(["finetune", "gmp", "imp", "rigl", "scratch", "set"], rows.Select(x => (string)x!["method"]!).Order());
        foreach (var row in rows)
        {
            Assert.InRange((double)row!["measured_sparsity"]!, 0.75 - 0.001, 0.75 + 0.001);
            Assert.NotNull(row["train_cost"]);
        }
        double Cost(string m) => (double)rows.Single(x => (string?)x!["method"] == m)!["train_cost"]!;
        double Marginal(string m) => (double)rows.Single(x => (string?)x!["method"] == m)!["marginal_cost"]!;
        Assert.Equal(Cost("scratch"), Cost("finetune"), 6);                      // both need the dense run for Sol-D's mask, and train as long
        Assert.Equal(1 + Marginal("scratch"), Cost("scratch"), 6);               // the dense run counted once, then its own training
        Assert.Equal(Marginal("gmp"), Cost("gmp"), 6);                           // a schedule chooses its own mask: no dense run first
        Assert.True(Cost("imp") > 1.2);                                            // dense level 0 + levels 1 and 2 (0.5, 0.75)
        var paths = study["paths"]!.AsArray();
        foreach (var m in new[] { "imp", "gmp", "set", "rigl" })
            Assert.Contains(paths, p => (string?)p!["from"] == $"sol-{m}" && (string?)p["to"] == "sol-f");
        Assert.Equal(7, study["fisher"]!.AsArray().Count);                         // dense + six methods
        Assert.Contains("Methods ranked, with their training cost", File.ReadAllText(Path.Combine(outDir, "report.md")));
        Assert.Contains("rigl (", r.Out);                                           // the ranking line
    }
}
