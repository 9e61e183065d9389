// `study gap --model gpt` end to end on a tiny text: the same runs as for a
// classifier (dense, then per sparsity finetune and scratch with the same mask
// and Init-S = Init-D ⊙ M), regimes and gaps from the losses (scratch −
// finetune, paired by seed, recomputed here from the rows), loss paths, and a
// report whose verdict is about validation loss, with samples side by side.
using System.Text.Json.Nodes;
using SparseLab.Tests.Studies;

namespace SparseLab.Tests.LanguageModels;

[Trait("Category", "Slow")]
public sealed class LanguageGapStudyTests
{
    [Fact]
    public void GivenATinyGptStudy_ThenTheRegimesComeFromTheLossesAndTheReportShowsPerplexitiesAndSamples()
    {
        using var dir = new TempDir();
        string text = dir.Combine("corpus.txt");
        File.WriteAllText(text, TinyTextRun.English(20_000));
        string outDir = dir.Combine("gap");
        var r = Cli.CliRunner.Run(["study", "gap", .. TinyTextRun.Model, "--text", text, "--steps", "40", "--sparsities", "0.5,0.8", "--seeds", "2",
            "--points", "3", "--path-train", "32", "--path-test", "32", "--methods", "finetune,scratch,gmp,rigl", "--update-every", "10it", "--fisher-samples", "16", "--out", outDir]);
        Assert.True(r.ExitCode == 0, r.Err);
        Assert.Contains("scratch − finetune loss (nats)", r.Out);

        var study = JsonNode.Parse(File.ReadAllText(Path.Combine(outDir, "study.json")))!;
        Assert.Equal("loss", study["metric"]!.GetValue<string>());
        var rows = study["rows"]!.AsArray();
        Assert.Equal(2 * (1 + 2 * 4), rows.Count);                                   // seeds × (dense + sparsities × methods)
        foreach (var regime in study["regimes"]!.AsArray())
        {
            double s = regime!["sparsity"]!.GetValue<double>();
            double Loss(string method, int seed, string key) => rows.Single(x => (string?)x!["method"] == method && (double)x["sparsity"]! == s && (long)x["seed"]! == seed)![key]!.GetValue<double>();
            double expected = new[] { 1, 2 }.Average(seed => Loss("scratch", seed, "test_loss") - Loss("finetune", seed, "test_loss"));
            Assert.Equal(expected, regime["test_gap"]!["mean"]!.GetValue<double>(), 12);
            double train = new[] { 1, 2 }.Average(seed => Loss("scratch", seed, "train_loss") - Loss("finetune", seed, "train_loss"));
            Assert.Equal(train, regime["train_gap"]!["mean"]!.GetValue<double>(), 12);
        }
        Assert.Equal(2 * 2 * (3 + 2), study["paths"]!.AsArray().Count);             // the three same-mask paths, and gmp's and rigl's to Sol-F
        Assert.Equal(rows.Count, study["fisher"]!.AsArray().Count);                  // a per-sequence Fisher series per run
        Assert.Equal(1 + 2 * 2, study["samples"]!.AsArray().Count);   // seed 1: dense, then finetune and scratch per sparsity

        string report = File.ReadAllText(Path.Combine(outDir, "report.md"));
        Assert.Contains("validation loss", report);
        Assert.Contains("## Validation loss per sparsity", report);
        Assert.Contains("## Samples", report);
        Assert.Contains("Curvature is not measured for language models", report);
        Assert.Contains("## Fisher information during training", report);
        Assert.DoesNotContain("Accuracy per sparsity", report);
        Assert.Contains("Ranking by mean validation loss", report);
        var cells = study["cells"]!.AsArray().Where(c => (double)c!["sparsity"]! == 0.8 && (string?)c["method"] != "dense")
            .OrderBy(c => (double)c!["test_loss"]!["mean"]!).Select(c => (string?)c!["method"]).ToList();
        Assert.Contains($"sparsity 0.8: {cells[0]} (", r.Out);   // the lowest validation loss leads the console's ranking
        GapStudyTests.AssertTheScientificInvariants(outDir, [0.5, 0.8], [1, 2]);
    }
}
