// `oneshot` on a GPT: magnitude, Wanda and SparseGPT at 50 % and 2:4 calibrate
// on windows of the training text (--calibration-tokens), prune only the
// attention and MLP matrices, and write validation perplexities before and
// after pruning (and after finetuning) that `generate` can then use.
using System.Text.Json.Nodes;
using SparseLab.Training;

namespace SparseLab.Tests.LanguageModels;

public sealed class LanguageModelOneShotTests(TinyTextRun tiny) : IClassFixture<TinyTextRun>
{
    [Theory]
    [InlineData("magnitude", "0.5")]
    [InlineData("wanda", "0.5")]
    [InlineData("sparsegpt", "0.5")]
    [InlineData("sparsegpt:2:4", null)]
    public void GivenATrainedGpt_WhenPruningOneShot_ThenThePerplexitiesAreRecordedAndOnlyTheMatricesArePruned(string criterion, string? sparsity)
    {
        using var dir = new TempDir();
        string outDir = dir.Combine("pruned");
        string[] calibration = criterion == "magnitude" ? [] : ["--calibration-tokens", "512"];   // magnitude would ignore it: refused
        string[] args = ["oneshot", "--run", tiny.Run, "--criterion", criterion, .. calibration, "--out", outDir];
        var r = Cli.CliRunner.Run(sparsity is null ? args : [.. args, "--sparsity", sparsity]);
        Assert.True(r.ExitCode == 0, r.Err);
        Assert.Contains("validation perplexity", r.Out);
        var s = JsonNode.Parse(File.ReadAllText(Path.Combine(outDir, "summary.json")))!;
        Assert.Equal(0.5, s["sparsity"]!.GetValue<double>(), 2);
        double dense = s["dense"]!["val_perplexity"]!.GetValue<double>(), pruned = s["pruned"]!["val_perplexity"]!.GetValue<double>();
        Assert.Equal(Math.Exp(s["pruned"]!["val_loss"]!.GetValue<double>()), pruned, 9);
        Assert.True(pruned > 1 && dense > 1);
        if (criterion != "magnitude") Assert.Equal(512, s["calibration_tokens"]!.GetValue<int>());
        using var saved = SavedRun.Open(outDir);
        Assert.Equal(6, saved.Prunable.Count);
        var wte = saved.Model.named_parameters().Single(p => p.name == "wte.weight").parameter;
        Assert.Equal(wte.numel(), wte.count_nonzero().item<long>());
        Assert.Equal(0, Cli.CliRunner.Run("generate", "--run", outDir, "--tokens", "10").ExitCode);
    }

    [Fact]
    public void GivenFinetuneSteps_WhenPruningAGpt_ThenTheFinetunedPerplexityIsRecordedWithTheMaskKept()
    {
        using var dir = new TempDir();
        string outDir = dir.Combine("pruned");
        var r = Cli.CliRunner.Run("oneshot", "--run", tiny.Run, "--criterion", "magnitude", "--sparsity", "0.7", "--finetune-steps", "20", "--out", outDir);
        Assert.True(r.ExitCode == 0, r.Err);
        var s = JsonNode.Parse(File.ReadAllText(Path.Combine(outDir, "summary.json")))!;
        double pruned = s["pruned"]!["val_perplexity"]!.GetValue<double>(), finetuned = s["finetuned"]!["val_perplexity"]!.GetValue<double>();
        Assert.True(finetuned < pruned, $"finetuning 20 steps should recover some of the loss: {pruned} → {finetuned}");
        var ft = JsonNode.Parse(File.ReadAllText(Path.Combine(outDir, "finetune", "summary.json")))!;
        Assert.Equal(0.7, ft["sparsity"]!.GetValue<double>(), 2);
    }
}
