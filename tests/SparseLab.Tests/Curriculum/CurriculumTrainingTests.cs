// A curriculum in real runs: every reference and score kind trains end to end, runs are
// reproducible, scores are cached where they belong, and bad options are refused before work.
using System.Text.Json.Nodes;
using SparseLab.Curriculum;
using SparseLab.Data;
using SparseLab.Foundations;
using SparseLab.Models;
using SparseLab.Tests.Cli;
using TorchSharp;
using static TorchSharp.torch;

namespace SparseLab.Tests.Curriculum;

[Trait("Category", "Slow")]
public sealed class CurriculumTrainingTests
{
    private static readonly string[] Tiny = ["--dataset", "synthetic", "--model", "mlp", "--threads", "1", "--limit-train", "512", "--limit-test", "128",
        "--epochs", "2", "--batch-size", "64"];

    [Fact]
    public void Given_a_fisher_curriculum_Then_the_run_records_its_scores_and_cost_and_repeats_exactly()
    {
        using var dir = new TempDir();
        string[] args = [.. Tiny, "--sparsity", "0.9", "--curriculum", "fisher-true", "--pacing", "root"];
        var a = CliRunner.Run(["train", .. args, "--out", dir.Combine("a")]);
        var b = CliRunner.Run(["train", .. args, "--out", dir.Combine("b")]);
        Assert.True(a.ExitCode == 0, a.Err);
        Assert.Equal(0, b.ExitCode);
        var sa = JsonNode.Parse(File.ReadAllText(dir.Combine("a", "summary.json")))!;
        var sb = JsonNode.Parse(File.ReadAllText(dir.Combine("b", "summary.json")))!;
        Assert.Equal((double)sa["test_loss"]!, (double)sb["test_loss"]!);
        Assert.Equal(File.ReadAllText(dir.Combine("a", "scores-init-fisher-true.csv")), File.ReadAllText(dir.Combine("b", "scores-init-fisher-true.csv")));
        var record = JsonNode.Parse(File.ReadAllText(dir.Combine("a", CurriculumRecord.FileName)))!;
        Assert.Equal("init", (string?)record["reference"]);
        Assert.True((double)record["extra_flops"]! > 0);
        // The curriculum changed the batches: a plain run of the same config ends elsewhere.
        var plain = CliRunner.Run(["train", .. Tiny, "--sparsity", "0.9", "--out", dir.Combine("plain")]);
        Assert.Equal(0, plain.ExitCode);
        Assert.NotEqual((double)sa["test_loss"]!, (double)JsonNode.Parse(File.ReadAllText(dir.Combine("plain", "summary.json")))!["test_loss"]!);
    }

    [Fact]
    public void Given_el2n_under_warmups_Then_the_warmups_and_scores_are_cached_and_reused()
    {
        using var dir = new TempDir();
        string cache = dir.Combine("cache");
        string[] args = [.. Tiny, "--curriculum", "el2n", "--score-runs", "2", "--score-cache", cache, "--balance-classes"];
        Assert.Equal(0, CliRunner.Run(["train", .. args, "--out", dir.Combine("a")]).ExitCode);
        Assert.Equal(2, Directory.GetDirectories(cache, "warmup-*").Length);
        var scores = Directory.GetFiles(cache, "scores-warmup1-el2n-*.csv");
        Assert.Single(scores);
        var written = File.GetLastWriteTimeUtc(scores[0]);
        // Another run (another order) reuses the cached scores without retraining.
        Assert.Equal(0, CliRunner.Run(["train", .. args, "--order", "anti", "--out", dir.Combine("b")]).ExitCode);
        Assert.Equal(written, File.GetLastWriteTimeUtc(scores[0]));
        var record = JsonNode.Parse(File.ReadAllText(dir.Combine("b", CurriculumRecord.FileName)))!;
        Assert.Equal(2, record["reference_runs"]!.AsArray().Count);
    }

    [Fact]
    public void Given_a_self_paced_curriculum_Then_the_current_model_rescored_at_the_epoch()
    {
        using var dir = new TempDir();
        var r = CliRunner.Run(["train", .. CliRunner.Override(Tiny, "--epochs", "3"), "--curriculum", "loss", "--curriculum-reference", "self:1", "--pacing", "linear", "--out", dir.Combine("run")]);
        Assert.True(r.ExitCode == 0, r.Err);
        Assert.True(File.Exists(dir.Combine("run", "scores-self-e1-loss.csv")));
        Assert.True(File.Exists(dir.Combine("run", "scores-self-e2-loss.csv")));
        Assert.NotEqual(File.ReadAllText(dir.Combine("run", "scores-init-loss.csv")), File.ReadAllText(dir.Combine("run", "scores-self-e1-loss.csv")));
    }

    [Fact]
    public void Given_el2n_and_loss_Then_they_match_a_per_example_loop()
    {
        using var train = SyntheticDataset.Generate("synthetic", train: true).Slice(0, 40);
        var info = DatasetCatalog.Info("synthetic");
        torch.manual_seed(3);
        using var model = ModelRegistry.Create(new ModelSpec("mlp", info.Channels, info.Height, info.Width, info.NumClasses, 1));
        var el2n = ExampleScorer.Score("el2n", model, train, info, null, 16, 1, 1, CPU);
        var loss = ExampleScorer.Score("loss", model, train, info, null, 16, 1, 1, CPU);
        var loader = new BatchLoader(train, info, 1, train: false, CPU);
        model.eval();
        for (int i = 0; i < 40; i++)
        {
            using var scope = torch.NewDisposeScope();
            var (x, y) = loader.Batch(0, 0, i);
            var logits = model.call(x).to(ScalarType.Float64).data<double>().ToArray();
            int label = (int)y.item<long>();
            double max = logits.Max(), z = logits.Sum(l => Math.Exp(l - max));
            double[] p = [.. logits.Select(l => Math.Exp(l - max) / z)];
            double expectEl2n = Math.Sqrt(p.Select((q, k) => (q - (k == label ? 1 : 0)) * (q - (k == label ? 1 : 0))).Sum());
            // Batched and one-at-a-time float32 logits differ in the last bits: 1e-5 relative.
            Assert.Equal(expectEl2n, el2n[i], 1e-5 * expectEl2n);
            Assert.Equal(-Math.Log(p[label]), loss[i], 1e-5 * -Math.Log(p[label]));
        }
    }

    [Theory]
    [InlineData(new[] { "--curriculum", "hardness" }, "hardness")]
    [InlineData(new[] { "--curriculum", "loss", "--order", "sideways" }, "sideways")]
    [InlineData(new[] { "--curriculum", "loss", "--pacing", "cubic" }, "cubic")]
    [InlineData(new[] { "--curriculum", "loss", "--pacing-a", "0" }, "--pacing-a")]
    [InlineData(new[] { "--curriculum", "loss", "--pacing-b", "1.5" }, "--pacing-b")]
    [InlineData(new[] { "--curriculum", "loss", "--pacing", "fixed-exp", "--pacing-inc", "1" }, "--pacing-inc")]
    [InlineData(new[] { "--curriculum", "loss", "--curriculum-reference", "teacher" }, "teacher")]
    [InlineData(new[] { "--curriculum", "el2n", "--curriculum-reference", "init" }, "el2n")]
    [InlineData(new[] { "--curriculum", "loss", "--pacing", "none" }, "--pacing none")]
    [InlineData(new[] { "--order", "anti" }, "need --curriculum")]
    [InlineData(new[] { "--curriculum", "loss", "--curriculum-reference", "run:/nonexistent/run" }, "no such run folder")]
    public void Given_a_bad_curriculum_option_Then_exit_2_with_one_error_line_and_nothing_written(string[] options, string mentions)
    {
        using var dir = new TempDir();
        var r = CliRunner.Run(["train", .. Tiny, .. options, "--out", dir.Combine("run")]);
        Assert.Equal(2, r.ExitCode);
        var line = Assert.Single(r.Err.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("error: ", line);
        Assert.Contains(mentions, line);
        Assert.False(Directory.Exists(dir.Combine("run")));
    }

    [Fact]
    public void Given_a_score_file_of_another_length_or_dataset_Then_exit_1_and_nothing_written()
    {
        using var dir = new TempDir();
        new ExampleScores([.. Enumerable.Range(0, 100).Select(i => (double)i)], [.. Enumerable.Range(0, 100).Select(i => (long)(i % 10))]).Save(dir.Combine("short.csv"));
        var r = CliRunner.Run(["train", .. Tiny, "--curriculum", "file:" + dir.Combine("short.csv"), "--out", dir.Combine("run")]);
        Assert.Equal(1, r.ExitCode);
        Assert.Contains("100 rows but the training set has 512", r.Err);
        Assert.False(Directory.Exists(dir.Combine("run")));

        new ExampleScores([.. Enumerable.Range(0, 512).Select(i => (double)i)], [.. Enumerable.Range(0, 512).Select(_ => 11L)]).Save(dir.Combine("other.csv"));
        r = CliRunner.Run(["train", .. Tiny, "--curriculum", "file:" + dir.Combine("other.csv"), "--out", dir.Combine("run")]);
        Assert.Equal(1, r.ExitCode);
        Assert.Contains("another dataset", r.Err);
        Assert.False(Directory.Exists(dir.Combine("run")));
    }
}

[Trait("Category", "Slow")]
public sealed class CurriculumAccountingTests
{
    private static readonly string[] Tiny = ["--dataset", "synthetic", "--model", "mlp", "--threads", "1", "--limit-train", "256", "--limit-test", "64",
        "--epochs", "1", "--batch-size", "64"];

    [Fact]
    public void Given_label_noise_When_el2n_warm_ups_train_Then_each_sees_the_runs_corrupted_labels()
    {
        using var dir = new SparseLab.Tests.TempDir();
        var r = SparseLab.Tests.Cli.CliRunner.Run(["train", .. Tiny, "--seed", "3", "--label-noise", "0.4", "--curriculum", "el2n", "--score-runs", "2",
            "--score-cache", dir.Combine("cache"), "--out", dir.Combine("run")]);
        Assert.True(r.ExitCode == 0, r.Err);
        var warmups = Directory.GetDirectories(dir.Combine("cache"), "warmup-*");
        Assert.Equal(2, warmups.Length);
        Assert.Contains(warmups, w => new SparseLab.Training.RunFolder(w).ReadConfig()!.Seed == 4);   // warm-up 2 trains with seed + 1
        using var data = SparseLab.Data.DatasetCatalog.Load(new SparseLab.Data.DataOptions("synthetic", LimitTrain: 256, LimitTest: 64));
        using var runNoise = SparseLab.Data.LabelNoise.Apply(data.Train, 0.4, 3);
        foreach (var w in warmups)
        {
            var c = new SparseLab.Training.RunFolder(w).ReadConfig()!;
            using var noise = SparseLab.Data.LabelNoise.Apply(data.Train, c.Data.LabelNoise, c.LabelNoiseSeed);
            Assert.True(noise.All.Labels.eq(runNoise.All.Labels).all().item<bool>(), $"{w} trained on other labels than the run scores");
        }
    }

    [Fact]
    public void Given_more_fisher_draws_Then_the_run_hash_changes_but_not_at_the_default()
    {
        Assert.Equal("FisherDraws=4", SparseLab.Foundations.ConfigHash.Canonical(new SparseLab.Training.TrainConfig { Probes = new() { FisherDraws = 4 } }));
        Assert.Equal("", SparseLab.Foundations.ConfigHash.Canonical(new SparseLab.Training.TrainConfig { Probes = new() { FisherDraws = 1, FisherEvery = "epoch" } }));
    }
}
