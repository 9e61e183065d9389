// The curriculum study end to end on tiny synthetic data: every arm at every sparsity and
// seed, gap closed with its interval, cost, Fisher series per arm, and the report's sections.
using System.Text.Json.Nodes;
using SparseLab.Tests.Cli;

namespace SparseLab.Tests.Studies;

[Trait("Category", "Slow")]
public sealed class CurriculumStudyTests
{
    private static string[] Args(string outDir) =>
        ["study", "curriculum", "--dataset", "synthetic", "--model", "mlp", "--sparsities", "0.9", "--seeds", "2", "--epochs", "2",
         "--limit-train", "256", "--limit-test", "64", "--batch-size", "64", "--threads", "1", "--fisher-samples", "64",
         "--no-curvature", "--score-runs", "2", "--out", outDir];

    [Fact]
    public void Given_a_tiny_study_Then_every_arm_has_rows_gap_closed_cost_and_fisher_series_and_the_report_says_so()
    {
        using var dir = new TempDir();
        string outDir = dir.Combine("cur");
        var r = CliRunner.Run(Args(outDir));
        Assert.True(r.ExitCode == 0, r.Err);

        var study = JsonNode.Parse(File.ReadAllText(Path.Combine(outDir, "study.json")))!;
        var rows = study["rows"]!.AsArray();
        Assert.Equal(2 * (1 + 6), rows.Count);                                            // seeds × (dense + 6 methods)
        string[] arms = ["curriculum", "anti-curriculum", "random-pacing", "el2n-curriculum"];
        foreach (var arm in arms)
            Assert.Equal(2, rows.Count(x => (string?)x!["method"] == arm));
        Assert.All(rows, x => Assert.True((double)x!["train_cost"]! > 0));

        var closed = study["gap_closed"]!.AsArray();
        Assert.Equal(arms, closed.Select(g => (string?)g!["arm"]));
        Assert.All(closed, g =>
        {
            Assert.NotNull(g!["test_gap_closed"]!["ratio"]);
            Assert.Equal(2, (int)g["test_gain"]!["n"]!);
            Assert.True((double)g["cost_relative_to_finetune"]! > 0);
        });
        // EL2N trains warm-ups (counted); random-pacing scores nothing: it costs what plain scratch costs.
        double Cost(string arm) => (double)closed.First(g => (string?)g!["arm"] == arm)!["cost_relative_to_finetune"]!;
        Assert.True(Cost("el2n-curriculum") > Cost("curriculum"));
        Assert.True(Cost("curriculum") > Cost("random-pacing"));

        Assert.Equal(2 * 7, study["fisher"]!.AsArray().Count);                            // a Fisher series per run
        string md = File.ReadAllText(Path.Combine(outDir, "report.md"));
        Assert.Contains("Curriculum arms: gap closed and cost", md);
        Assert.Contains("In short:", md);
        Assert.Contains("Fisher curriculum for sparse scratch", md);
        Assert.True(File.Exists(Path.Combine(outDir, "figures", "fisher_s0.9.png")));

        // A rerun skips every finished run.
        var again = CliRunner.Run(Args(outDir));
        Assert.Equal(0, again.ExitCode);
    }

    [Theory]
    [InlineData(new[] { "--curriculum", "el2n" }, "el2n")]
    [InlineData(new[] { "--pacing", "none" }, "--pacing none")]
    [InlineData(new[] { "--pacing-b", "0" }, "--pacing-b")]
    [InlineData(new[] { "--methods", "finetune,scratch,curriculm" }, "curriculm")]
    [InlineData(new[] { "--order", "anti" }, "--order")]
    [InlineData(new[] { "--el2n-reference", "init" }, "el2n")]
    public void Given_a_bad_option_Then_exit_2_and_no_study_folder(string[] options, string mentions)
    {
        using var dir = new TempDir();
        string outDir = dir.Combine("cur");
        var r = CliRunner.Run([.. Args(outDir), .. options]);
        Assert.Equal(2, r.ExitCode);
        var line = Assert.Single(r.Err.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains(mentions, line);
        Assert.False(Directory.Exists(outDir));
    }

    [Theory]
    [InlineData("dense", "final")]
    [InlineData("dense:ep1", "epoch-1")]
    public void Given_a_dense_reference_Then_the_arms_score_under_the_seeds_dense_run(string reference, string checkpoint)
    {
        using var dir = new TempDir();
        string outDir = dir.Combine("cur");
        var r = CliRunner.Run(["study", "curriculum", "--dataset", "synthetic", "--model", "mlp", "--sparsities", "0.9", "--seeds", "1", "--epochs", "2",
            "--limit-train", "256", "--limit-test", "64", "--batch-size", "64", "--threads", "1", "--no-fisher", "--no-curvature",
            "--methods", "finetune,scratch,curriculum,anti-curriculum", "--curriculum-reference", reference, "--out", outDir]);
        Assert.True(r.ExitCode == 0, r.Err);
        string dense = Directory.GetDirectories(Path.Combine(outDir, "runs"), "dense-seed1-*").Single();
        Assert.True(File.Exists(Path.Combine(dense, "checkpoints", checkpoint + ".ckpt")));
        foreach (var arm in new[] { "curriculum", "anti-curriculum" })
        {
            string run = Directory.GetDirectories(Path.Combine(outDir, "runs"), $"{arm}-s0.9-seed1-*").Single();
            var config = new SparseLab.Training.RunFolder(run).ReadConfig()!;
            Assert.Equal($"run:{dense}:{checkpoint}", config.Curriculum.Reference);
        }
    }

    [Fact]
    public void Given_a_dense_reference_outside_a_study_Then_the_run_refuses_it_before_any_work()
    {
        using var dir = new TempDir();
        var r = CliRunner.Run("train", "--dataset", "synthetic", "--model", "mlp", "--epochs", "1", "--limit-train", "256", "--threads", "1",
            "--curriculum", "fisher-true", "--curriculum-reference", "dense", "--out", dir.Combine("run"));
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("--curriculum-reference dense: only a study has a dense run", r.Err);
        Assert.False(File.Exists(dir.Combine("run", "config.json")));
    }
}
