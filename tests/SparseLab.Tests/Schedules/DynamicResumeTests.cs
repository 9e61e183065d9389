// A RigL run interrupted after its first epoch and resumed ends exactly like
// an uninterrupted one: the checkpoint carries the mask of that step, not the
// starting mask in mask.safetensors.
using SparseLab.Foundations;
using SparseLab.Sparsity;
using SparseLab.Training;

namespace SparseLab.Tests.Schedules;

[Trait("Category", "Slow")]
public sealed class DynamicResumeTests
{
    private sealed class Silent : ITrainingObserver;

    /// <summary>Fails the run at the end of epoch 2, before its checkpoint: the last checkpoint is epoch 1's.</summary>
    private sealed class Interrupt : ITrainingCallback
    {
        public void OnEpochEnd(TrainingContext context, EpochMetrics metrics)
        {
            if (metrics.Epoch == 2) throw new SparseLabException("interrupted");
        }
    }

    // 1024 / 64 = 16 steps per epoch, 48 in all; updates every 4 steps until 36.
    private static TrainConfig Config(string schedule) => new()
    {
        Data = new() { Dataset = "synthetic", LimitTrain = 1024, LimitTest = 128 },
        Model = new() { Name = "mlp" },
        Optimization = new() { Epochs = 3, BatchSize = 64 },
        Sparsity = new() { Target = 0.9, Budget = "erk", Criterion = "random" },
        MaskSchedule = new() { Kind = schedule, UpdateEvery = Duration.Steps(4), UpdateEnd = Duration.Steps(36) },
        Runtime = new() { Threads = 1 },
        Seed = 5,
    };

    [Theory]
    [InlineData("rigl")]
    [InlineData("set")]
    public void Given_a_dynamic_run_interrupted_after_an_epoch_When_resumed_Then_it_ends_like_an_uninterrupted_run(string schedule)
    {
        using var dir = new TempDir();
        string broken = dir.Combine("broken"), clean = dir.Combine("clean");
        Assert.Throws<SparseLabException>(() => TrainingRun.Execute(Config(schedule), broken, resume: false, new Silent(), [new Interrupt()]));
        var resumed = TrainingRun.Execute(Config(schedule), broken, resume: true, new Silent());
        var uninterrupted = TrainingRun.Execute(Config(schedule), clean, resume: false, new Silent());

        Assert.Equal(uninterrupted.Summary.TestLoss, resumed.Summary.TestLoss);
        Assert.Equal(uninterrupted.Summary.TrainLoss, resumed.Summary.TrainLoss);
        using var a = Mask.Load(resumed.Run.MaskFile);
        using var b = Mask.Load(uninterrupted.Run.MaskFile);
        foreach (var name in a.Names) Assert.True(a[name].eq(b[name]).all().item<bool>(), $"{name}: final masks differ");
    }
}
