// `train --model gpt` on text: the validation metrics and how they relate
// (bpc = loss / ln 2, perplexity = e^loss), learning beats the unigram
// baseline, the same seed gives the same numbers, a sparse GPT keeps exact
// zeros off its mask with the embeddings dense, and the recipe's defaults.
using System.Text.Json.Nodes;
using SparseLab.Data;
using SparseLab.Sparsity;
using SparseLab.Training;

namespace SparseLab.Tests.LanguageModels;

public sealed class LanguageModelTrainingTests(TinyTextRun tiny) : IClassFixture<TinyTextRun>
{
    private static JsonNode Summary(string run) => JsonNode.Parse(File.ReadAllText(Path.Combine(run, "summary.json")))!;

    [Fact]
    public void GivenATrainedGpt_ThenItsValidationBitsPerCharacterBeatTheUnigramModelAndTheMetricsAgree()
    {
        var s = Summary(tiny.Run);
        double loss = s["val_loss"]!.GetValue<double>();
        Assert.Equal(loss / Math.Log(2), s["val_bpc"]!.GetValue<double>(), 12);
        Assert.Equal(Math.Exp(loss), s["val_perplexity"]!.GetValue<double>(), 9);
        Assert.Equal(loss, s["test_loss"]!.GetValue<double>(), 12);   // the held-out split is the validation split
        double unigram = TextCorpus.FromFile(tiny.TextFile, 32).UnigramBitsPerByte();
        Assert.Equal(unigram, s["unigram_bpc"]!.GetValue<double>(), 12);
        Assert.True(s["val_bpc"]!.GetValue<double>() < unigram - 1.0, $"val_bpc {s["val_bpc"]} vs unigram {unigram}");
        Assert.Equal("gpt", s["model"]!.GetValue<string>());
        var epochLines = File.ReadAllLines(Path.Combine(tiny.Run, "metrics.jsonl")).Where(l => l.Contains("\"epoch\"") && l.Contains("val_bpc")).ToList();
        Assert.NotEmpty(epochLines);
    }

    [Fact]
    public void GivenTheGptRecipe_WhenNothingElseIsGiven_ThenTheRunUsesAdamWClippingAndWarmup()
    {
        var config = new RunFolder(tiny.Run).ReadConfig()!;
        Assert.Equal("adamw", config.Optimization.Optimizer);
        Assert.Equal(1.0, config.Optimization.ClipGrad);
        Assert.Equal(0.1, config.Optimization.WeightDecay);
        Assert.Equal(0.003, config.Optimization.Lr);   // given on the command line: the recipe stays beneath it
        Assert.Equal(16, config.Optimization.BatchSize);
    }

    [Fact]
    public void GivenTheSameSeed_WhenTrainingTwice_ThenTheNumbersAreIdentical()
    {
        using var dir = new TempDir();
        string[] args = ["train", .. TinyTextRun.Model, "--text", tiny.TextFile, "--steps", "12"];
        Assert.Equal(0, Cli.CliRunner.Run([.. args, "--out", dir.Combine("a")]).ExitCode);
        Assert.Equal(0, Cli.CliRunner.Run([.. args, "--out", dir.Combine("b")]).ExitCode);
        Assert.Equal(Summary(dir.Combine("a"))["val_loss"]!.GetValue<double>(), Summary(dir.Combine("b"))["val_loss"]!.GetValue<double>());
        var c = Cli.CliRunner.Run([.. args, "--seed", "2", "--out", dir.Combine("c")]);
        Assert.Equal(0, c.ExitCode);
        Assert.NotEqual(Summary(dir.Combine("a"))["val_loss"]!.GetValue<double>(), Summary(dir.Combine("c"))["val_loss"]!.GetValue<double>());
    }

    [Fact]
    public void GivenPruneEmbeddings_WhenTrainingSparse_ThenTheEmbeddingsAndSoTheTiedHeadArePrunedToo()
    {
        using var dir = new TempDir();
        string run = dir.Combine("emb");
        var r = Cli.CliRunner.Run(["train", .. TinyTextRun.Model, "--text", tiny.TextFile, "--steps", "10", "--sparsity", "0.7", "--prune-embeddings", "--out", run]);
        Assert.True(r.ExitCode == 0, r.Err);
        using var saved = SavedRun.Open(run);
        using var mask = saved.LoadMask()!;
        Assert.Equal(["wte.weight", "wpe.weight"], saved.Prunable.Take(2).Select(p => p.Name));
        var wte = saved.Prunable[0].Weight;
        Assert.Equal(0, wte.masked_select(mask["wte.weight"].logical_not()).count_nonzero().item<long>());
        Assert.True(wte.count_nonzero().item<long>() < wte.numel());
        Assert.Equal(0.7, PrunableParameters.Measure(saved.Prunable).Sparsity, 2);
        var refused = Cli.CliRunner.Run("train", "--model", "lenet5", "--sparsity", "0.5", "--prune-embeddings", "--out", dir.Combine("no"));
        Assert.NotEqual(0, refused.ExitCode);
        Assert.Contains("--prune-embeddings", refused.Err);
    }

    [Theory]
    [InlineData("dense")]
    [InlineData("sparse")]
    public void GivenASparseGpt_WhenTraining_ThenThePrunedWeightsAreExactlyZeroAndTheEmbeddingsStayDense(string kernels)
    {
        using var dir = new TempDir();
        string run = dir.Combine("sparse");
        var r = Cli.CliRunner.Run(["train", .. TinyTextRun.Model, "--text", tiny.TextFile, "--steps", "15", "--sparsity", "0.8", "--kernels", kernels, "--out", run]);
        Assert.True(r.ExitCode == 0, r.Err);
        using var saved = SavedRun.Open(run);
        using var mask = saved.LoadMask()!;
        Assert.Equal(6, saved.Prunable.Count);   // q, k, v, proj, mlp_fc, mlp_proj of the one block
        Assert.All(saved.Prunable, p => Assert.DoesNotContain("wte", p.Name));
        foreach (var (name, w) in saved.Prunable)
            Assert.Equal(0, w.masked_select(mask[name].logical_not()).count_nonzero().item<long>());
        var (sparsity, _, _) = PrunableParameters.Measure(saved.Prunable);
        Assert.Equal(0.8, sparsity, 2);
        Assert.Equal(sparsity, Summary(run)["sparsity"]!.GetValue<double>(), 12);
        var wte = saved.Model.named_parameters().Single(p => p.name == "wte.weight").parameter;
        Assert.Equal(wte.numel(), wte.count_nonzero().item<long>());
    }
}
