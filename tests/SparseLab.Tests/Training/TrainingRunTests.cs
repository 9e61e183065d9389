using System.Text.Json.Nodes;
using SparseLab.Foundations;
using SparseLab.Reporting;
using SparseLab.Training;
using TorchSharp;

namespace SparseLab.Tests.Training;

public sealed class TrainingRunTests
{
    internal static TrainConfig Tiny(long seed = 1) => new()
    {
        Data = new() { Dataset = "synthetic", LimitTrain = 512, LimitTest = 256 },
        Model = new() { Name = "mlp" },
        Optimization = new() { Epochs = 2, BatchSize = 64, Lr = 0.05 },
        Runtime = new() { Threads = 1 },
        Seed = seed,
    };

    private static TrainConfig With(TrainConfig c, Func<OptimizationConfig, OptimizationConfig> change) => c with { Optimization = change(c.Optimization) };

    private sealed class Silent : ITrainingObserver;

    [Fact]
    public void Given_a_tiny_run_Then_the_folder_holds_the_contract_files_and_a_summary_of_fractions()
    {
        using var dir = new TempDir();
        var o = TrainingRun.Execute(Tiny(), dir.Combine("run"), resume: false, new Silent());
        var run = o.Run;
        Assert.True(File.Exists(run.ConfigFile) && File.Exists(run.SummaryFile) && File.Exists(run.FinalCheckpoint) && File.Exists(run.InitCheckpoint));
        Assert.NotEmpty(Directory.GetFiles(run.TensorBoardDir, "*", SearchOption.AllDirectories));
        var summary = JsonNode.Parse(File.ReadAllText(run.SummaryFile))!;
        foreach (var key in new[] { "test_accuracy", "test_loss", "train_accuracy", "train_loss", "sparsity", "seed", "epochs", "wall_seconds" })
            Assert.NotNull(summary[key]);
        Assert.InRange(o.Summary.TestAccuracy, 0.2, 1.0);                     // learns: chance is 0.1
        Assert.Equal(0.0, o.Summary.Sparsity);                                // dense run: no exact zeros
        var config = JsonNode.Parse(File.ReadAllText(run.ConfigFile))!;
        Assert.Equal("mlp", (string?)config["config"]!["model"]!["name"]);
        Assert.Equal(ConfigHash.Canonical(Tiny()), (string?)config["canonical"]);
        Assert.NotNull(config["environment"]!["torch_sharp"]);
        Assert.Equal(2, MetricsLog.Read(run.MetricsFile).Count(e => (string?)e["event"] == "epoch"));
    }

    [Fact]
    public void Given_the_same_seed_and_threads_Then_two_runs_give_identical_metrics()
    {
        using var dir = new TempDir();
        var a = TrainingRun.Execute(Tiny(seed: 5), dir.Combine("a"), false, new Silent()).Summary;
        var b = TrainingRun.Execute(Tiny(seed: 5), dir.Combine("b"), false, new Silent()).Summary;
        var c = TrainingRun.Execute(Tiny(seed: 6), dir.Combine("c"), false, new Silent()).Summary;
        Assert.Equal(a.TestLoss, b.TestLoss);
        Assert.Equal(a.TrainLoss, b.TrainLoss);
        Assert.Equal(a.TestAccuracy, b.TestAccuracy);
        Assert.NotEqual(a.TestLoss, c.TestLoss);
    }

    [Fact]
    public void Given_an_exploding_learning_rate_Then_the_run_stops_naming_the_step_and_writes_no_summary()
    {
        using var dir = new TempDir();
        var config = With(Tiny(), o => o with { Lr = 1e12, Momentum = 0 });
        var e = Assert.Throws<SparseLabException>(() => TrainingRun.Execute(config, dir.Combine("run"), false, new Silent()));
        Assert.Matches("loss is .* at step \\d+", e.Message);
        Assert.False(File.Exists(dir.Combine("run", "summary.json")));
        Assert.True(File.Exists(dir.Combine("run", "checkpoints", "init.ckpt")));
    }

    [Fact]
    public void Given_a_finished_run_When_run_again_Then_it_is_skipped_and_a_different_config_is_refused()
    {
        using var dir = new TempDir();
        var first = TrainingRun.Execute(Tiny(), dir.Combine("run"), false, new Silent());
        var again = TrainingRun.Execute(Tiny(), dir.Combine("run"), false, new Silent());
        Assert.True(again.AlreadyFinished);
        Assert.Equal(first.Summary.TestLoss, again.Summary.TestLoss);
        var e = Assert.ThrowsAny<InvalidOptionException>(() => TrainingRun.Execute(With(Tiny(), o => o with { Lr = 0.01 }), dir.Combine("run"), false, new Silent()));
        Assert.Contains("different config", e.Message);
    }

    [Fact]
    public void Given_training_steps_Then_no_tensors_leak()
    {
        using var dir = new TempDir();
        TrainingRun.Execute(With(Tiny(), o => o with { Epochs = 1 }), dir.Combine("warm"), false, new Silent());
        long before = DisposeScopeManager.Statistics.ThreadTotalLiveCount;
        TrainingRun.Execute(With(Tiny(), o => o with { Epochs = 2 }), dir.Combine("run"), false, new Silent());
        long after = DisposeScopeManager.Statistics.ThreadTotalLiveCount;
        // Model parameters and optimizer state are freed with their objects; allow a
        // small slack for tensors that TorchSharp caches, but not one per step.
        Assert.InRange(after - before, -1000, 50);
    }
}
