// `oneshot` prunes a finished run into a run folder that export, prune and
// train --init-from/--mask-from accept, with metrics in summary.json, and
// refuses bad input with one `error:` line, writing nothing.
using System.Text.Json.Nodes;
using SparseLab.Sparsity;

namespace SparseLab.Tests.Cli;

public sealed class OneShotSourceRun : IDisposable
{
    public OneShotSourceRun()
    {
        var r = CliRunner.Run("train", "--dataset", "synthetic", "--model", "mlp", "--threads", "1", "--limit-train", "256", "--limit-test", "64",
            "--epochs", "1", "--batch-size", "64", "--out", Run);
        Assert.True(r.ExitCode == 0, r.Err);
    }

    public TempDir Dir { get; } = new();
    public string Run => Dir.Combine("dense");
    public void Dispose() => Dir.Dispose();
}

public sealed class OneShotCommandTests(OneShotSourceRun source) : IClassFixture<OneShotSourceRun>
{
    private string Out(string name) => source.Dir.Combine(name + "-" + Guid.NewGuid().ToString("N")[..8]);

    [Theory]
    [InlineData("magnitude", "0.7", 0.7)]
    [InlineData("wanda", "0.7", 0.7)]
    [InlineData("sparsegpt", "0.7", 0.7)]
    [InlineData("nm:2:4", null, 0.5)]
    [InlineData("wanda:2:4", null, 0.5)]
    [InlineData("sparsegpt:2:4", null, 0.5)]
    public void GivenAFinishedRun_WhenPruningOneShot_ThenTheFolderHoldsTheMaskTheWeightsAndTheMetrics(string criterion, string? sparsity, double expected)
    {
        string outDir = Out(criterion.Replace(':', '-'));
        string[] calibration = OneShotCriteria.NeedsData(criterion) ? ["--calibration-examples", "64"] : [];   // magnitude would ignore it: refused
        string[] args = ["oneshot", "--run", source.Run, "--criterion", criterion, .. calibration, "--out", outDir];
        var r = CliRunner.Run(sparsity is null ? args : [.. args, "--sparsity", sparsity]);

        Assert.True(r.ExitCode == 0, r.Err);
        var summary = JsonNode.Parse(File.ReadAllText(Path.Combine(outDir, "summary.json")))!;
        Assert.Equal(expected, summary["sparsity"]!.GetValue<double>(), 2);
        Assert.InRange(summary["pruned"]!["test_accuracy"]!.GetValue<double>(), 0, 1);
        Assert.True(File.Exists(Path.Combine(outDir, "mask.safetensors")));
        var export = CliRunner.Run("export", "--run", outDir, "--out", Path.Combine(outDir, "export.safetensors"));
        Assert.True(export.ExitCode == 0, export.Err);
        Assert.Contains($"measured sparsity {summary["sparsity"]!.GetValue<double>():F4}", export.Out);   // wanda rounds per row
    }

    [Fact]
    public void GivenFinetuneSteps_WhenPruning_ThenTheFinetunedRunKeepsTheMaskAndItsMetricsAreInTheSummary()
    {
        string outDir = Out("ft");
        var r = CliRunner.Run("oneshot", "--run", source.Run, "--criterion", "sparsegpt", "--sparsity", "0.8", "--calibration-examples", "64",
            "--finetune-steps", "4", "--out", outDir);

        Assert.True(r.ExitCode == 0, r.Err);
        var summary = JsonNode.Parse(File.ReadAllText(Path.Combine(outDir, "summary.json")))!;
        Assert.NotNull(summary["finetuned"]?["test_accuracy"]);
        var ft = JsonNode.Parse(File.ReadAllText(Path.Combine(outDir, "finetune", "summary.json")))!;
        Assert.Equal(0.8, ft["sparsity"]!.GetValue<double>(), 3);
    }

    [Fact]
    public void GivenAOneShotFolder_WhenTrainingFromItWithItsMask_ThenTheRunStartsFromItsWeights()
    {
        string outDir = Out("src");
        Assert.Equal(0, CliRunner.Run("oneshot", "--run", source.Run, "--criterion", "wanda", "--sparsity", "0.5", "--out", outDir).ExitCode);

        var r = CliRunner.Run("train", "--dataset", "synthetic", "--model", "mlp", "--threads", "1", "--limit-train", "256", "--limit-test", "64",
            "--epochs", "1", "--batch-size", "64", "--init-from", outDir, "--mask-from", outDir, "--out", Out("again"));

        Assert.True(r.ExitCode == 0, r.Err);
    }

    private static void AssertRefused(CliResult r, string mentions, string outDir)
    {
        Assert.NotEqual(0, r.ExitCode);
        var lines = r.Err.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Single(lines);
        Assert.StartsWith("error: ", lines[0]);
        Assert.Contains(mentions, lines[0]);
        Assert.DoesNotContain("   at ", r.Err);
        Assert.False(Directory.Exists(outDir));
    }

    [Theory]
    [InlineData("--criterion", "obd", "'obd' is not known")]
    [InlineData("--criterion", "nm:4:2", "nm:4:2")]
    [InlineData("--sparsity", "1", "--sparsity")]
    [InlineData("--sparsity", "-0.1", "--sparsity")]
    [InlineData("--calibration-examples", "0", "--calibration-examples")]
    public void GivenABadOption_WhenPruning_ThenOneErrorLineAndNoFolder(string option, string value, string mentions)
    {
        string outDir = Out("bad");
        string[] args = ["oneshot", "--run", source.Run, "--out", outDir];
        args = option switch
        {
            "--criterion" => [.. args, "--sparsity", "0.5", option, value],
            "--sparsity" => [.. args, "--criterion", "wanda", option, value],
            _ => [.. args, "--criterion", "wanda", "--sparsity", "0.5", option, value],
        };
        AssertRefused(CliRunner.Run(args), mentions, outDir);
    }

    [Fact]
    public void GivenMissingOrContradictorySparsity_WhenPruning_ThenItSaysWhatToGive()
    {
        string outDir = Out("bad");
        AssertRefused(CliRunner.Run("oneshot", "--run", source.Run, "--criterion", "magnitude", "--out", outDir), "--sparsity is required", outDir);
        AssertRefused(CliRunner.Run("oneshot", "--run", source.Run, "--criterion", "nm:2:4", "--sparsity", "0.7", "--out", outDir), "fixed at 0.5", outDir);
    }

    [Fact]
    public void GivenSparseGptWithTheGlobalBudget_WhenPruning_ThenItRefusesAndWritesNothing()
    {
        string outDir = Out("bad");
        AssertRefused(CliRunner.Run("oneshot", "--run", source.Run, "--criterion", "sparsegpt", "--sparsity", "0.5", "--budget", "global", "--out", outDir),
            "--budget global", outDir);
    }

    [Fact]
    public void GivenAMissingOrUnfinishedRunOrAnExistingOut_WhenPruning_ThenOneErrorLine()
    {
        string outDir = Out("bad");
        AssertRefused(CliRunner.Run("oneshot", "--run", source.Dir.Combine("nope"), "--sparsity", "0.5", "--out", outDir), "no such folder", outDir);

        string unfinished = source.Dir.Combine("unfinished-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(unfinished);
        File.Copy(Path.Combine(source.Run, "config.json"), Path.Combine(unfinished, "config.json"));
        AssertRefused(CliRunner.Run("oneshot", "--run", unfinished, "--sparsity", "0.5", "--out", outDir), "has not finished", outDir);

        var r = CliRunner.Run("oneshot", "--run", source.Run, "--sparsity", "0.5", "--out", source.Run);
        Assert.NotEqual(0, r.ExitCode);
        Assert.Contains("already exists", r.Err);
        Assert.True(File.Exists(Path.Combine(source.Run, "summary.json")));
    }
}
