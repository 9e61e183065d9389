// The seed's arms and budgets in a tiny study: scratch-long trains the dense
// plus finetuning budget (Scratch-B), --scratch-epochs sets scratch's and
// lottery's length but not finetuning's, and with --val every row carries
// its best-by-validation epoch's test accuracy and the report both gaps.
using System.Text.Json.Nodes;
using SparseLab.Tests.Cli;

namespace SparseLab.Tests.Studies;

[Trait("Category", "Slow")]
public sealed class StudyArmsTests
{
    [Fact]
    public void Given_scratch_long_scratch_epochs_and_a_validation_split_Then_each_arm_trains_its_budget_and_rows_carry_the_selection()
    {
        using var dir = new TempDir();
        string outDir = dir.Combine("gap");
        var r = CliRunner.Run(["study", "gap", "--dataset", "synthetic", "--model", "mlp", "--sparsities", "0.9", "--seeds", "2", "--epochs", "1",
            "--scratch-epochs", "2", "--methods", "finetune,scratch,lottery,scratch-long", "--limit-train", "256", "--limit-test", "64", "--val", "64",
            "--batch-size", "64", "--points", "0", "--no-fisher", "--no-curvature", "--threads", "1", "--out", outDir]);
        Assert.True(r.ExitCode == 0, r.Err);
        var study = JsonNode.Parse(File.ReadAllText(Path.Combine(outDir, "study.json")))!;
        int Epochs(string method) => study["rows"]!.AsArray().Where(x => (string)x!["method"]! == method)
            .Select(x => (int)JsonNode.Parse(File.ReadAllText(Path.Combine(outDir, (string)x!["run"]!, "summary.json")))!["epochs"]!).Distinct().Single();
        Assert.Equal(1, Epochs("dense"));
        Assert.Equal(1, Epochs("finetune"));
        Assert.Equal(2, Epochs("scratch"));
        Assert.Equal(2, Epochs("lottery"));
        Assert.Equal(1 + 1, Epochs("scratch-long"));                  // dense epochs + finetuning epochs
        Assert.All(study["rows"]!.AsArray(), x => Assert.NotNull(x!["best_val_test_accuracy"]));
        Assert.NotNull(study["regimes"]![0]!["test_gap_best_val"]);
        Assert.Contains("best-by-validation", File.ReadAllText(Path.Combine(outDir, "report.md")));
    }

    [Theory]
    [InlineData("--scratch-epochs", "0", "--scratch-epochs")]
    [InlineData("--sparse-milestones", "10,20", "--sparse-milestones")]   // the default schedule is cosine
    public void Given_bad_budget_options_Then_exit_2_naming_them(string option, string value, string mentions)
    {
        using var dir = new TempDir();
        var r = CliRunner.Run(["study", "gap", "--dataset", "synthetic", "--model", "mlp", "--sparsities", "0.9", "--seeds", "1", "--epochs", "1",
            option, value, "--out", dir.Combine("gap")]);
        Assert.Equal(2, r.ExitCode);
        Assert.Contains(mentions, r.Err);
        Assert.False(Directory.Exists(dir.Combine("gap")));
    }
}
