// `sparselab interpolate` end to end on tiny synthetic runs: path.json with one
// value per α, and option errors (exit 2) that write nothing.
using SparseLab.Information;
using SparseLab.Tests.Cli;
using SparseLab.Training;

namespace SparseLab.Tests.Information;

public sealed class InterpolateCommandTests(TinyRunsFixture runs) : IClassFixture<TinyRunsFixture>
{
    [Fact]
    public void Given_two_lenet5_runs_When_interpolated_with_defaults_Then_path_json_has_29_points_and_alpha_1_is_the_to_run()
    {
        string outDir = runs.NewOut("ab");

        var r = CliRunner.Run("interpolate", "--from", runs.LeNetA, "--to", runs.LeNetB, "--out", outDir);

        Assert.True(r.ExitCode == 0, r.Err);
        var report = PathReport.Read(Path.Combine(outDir, "path.json"));
        Assert.Equal(29, report.Alpha.Count);
        foreach (var series in new[] { report.TrainLoss, report.TestLoss, report.TrainAccuracy, report.TestAccuracy })
        {
            Assert.Equal(29, series.Count);
            Assert.All(series, v => Assert.True(double.IsFinite(v)));
        }
        Assert.Equal(0.0, report.Alpha[4]);
        Assert.Equal(1.0, report.Alpha[24]);
        Assert.EndsWith(":final", report.From);
        Assert.Contains(Path.GetFileName(runs.LeNetA), report.From);
        Assert.Equal("recompute", report.BatchNorm);
        // Accuracy is a count, so it does not depend on the evaluation batch size.
        Assert.Equal(new RunFolder(runs.LeNetB).ReadSummary().TestAccuracy, report.TestAccuracy[24], 12);
        Assert.Contains("train_loss", r.Out);
        string json = File.ReadAllText(Path.Combine(outDir, "path.json"));
        foreach (var key in new[] { "\"from\"", "\"to\"", "\"alpha\"", "\"train_loss\"", "\"test_loss\"", "\"train_accuracy\"", "\"test_accuracy\"" })
            Assert.Contains(key, json);
    }

    [Fact]
    public void Given_run_colon_init_When_interpolated_to_the_same_run_Then_the_from_end_is_its_init_checkpoint()
    {
        string outDir = runs.NewOut("init");

        var r = CliRunner.Run("interpolate", "--from", runs.LeNetA + ":init", "--to", runs.LeNetA, "--points", "3",
            "--alpha-min", "0", "--alpha-max", "1", "--bn", "copy", "--limit-train", "128", "--out", outDir);

        Assert.True(r.ExitCode == 0, r.Err);
        var report = PathReport.Read(Path.Combine(outDir, "path.json"));
        Assert.Equal(new[] { 0.0, 0.5, 1.0 }, report.Alpha);
        Assert.EndsWith(":init", report.From);
        Assert.NotEqual(report.TrainLoss[0], report.TrainLoss[2]);
    }

    [Theory]
    [InlineData("mlp", "different models")]
    [InlineData("sparse", "different masks")]
    public void Given_incompatible_runs_When_interpolated_Then_exit_code_2_and_nothing_is_written(string from, string message)
    {
        string outDir = runs.NewOut("bad");
        string fromRun = from == "mlp" ? runs.Mlp : runs.SparseLeNet;

        var r = CliRunner.Run("interpolate", "--from", fromRun, "--to", runs.LeNetA, "--out", outDir);

        Assert.Equal(2, r.ExitCode);
        Assert.Contains(message, r.Err);
        Assert.False(Directory.Exists(outDir));
    }

    [Theory]
    [InlineData("--points", "1", "--points")]
    [InlineData("--bn", "average", "--bn")]
    [InlineData("--alpha-min", "1.5", "--alpha-min")]
    public void Given_bad_options_When_interpolated_Then_exit_code_2_and_nothing_is_written(string option, string value, string named)
    {
        string outDir = runs.NewOut("opt");

        var r = CliRunner.Run("interpolate", "--from", runs.LeNetA, "--to", runs.LeNetB, option, value, "--out", outDir);

        Assert.Equal(2, r.ExitCode);
        Assert.Contains(named, r.Err);
        Assert.False(Directory.Exists(outDir));
    }

    [Fact]
    public void Given_a_checkpoint_the_run_does_not_have_When_interpolated_Then_the_error_names_it()
    {
        var r = CliRunner.Run("interpolate", "--from", runs.LeNetA + ":epoch99", "--to", runs.LeNetB, "--out", runs.NewOut("ckpt"));

        Assert.Equal(2, r.ExitCode);
        Assert.Contains("epoch99", r.Err);
    }
}
