// --preset paper is the seed's scripts/train.sh (Ye et al. 2022): ResNet-32
// with widen factor 4 on CIFAR-100, dense 200 epochs ÷10 at 100/150, sparse
// 250 epochs ÷10 at 100/150/200, SGD 0.9, weight decay 2e-4, batch 128, the
// seed's Kaiming fan-out init, the last layer dense, sparsities 0.8–0.98;
// and a validation split where the seed selected by test accuracy.
using SparseLab.Foundations;
using SparseLab.Studies;
using SparseLab.Training;

namespace SparseLab.Tests.Studies;

public sealed class PaperPresetTests
{
    private static readonly GapStudyConfig Paper = StudyPresets.Apply("paper", StudyKinds.Gap);

    [Fact]
    public void Given_the_paper_preset_Then_it_is_the_seed_scripts_train_sh()
    {
        var t = Paper.Train;
        Assert.Equal(("cifar100", "resnet32", 4.0, "kaiming-fan-out"), (t.Data.Dataset, t.Model.Name, t.Model.Width, t.Model.Init));
        Assert.Equal((200, 128, 0.1, 0.9, 2e-4, "step"), (t.Optimization.Epochs, t.Optimization.BatchSize, t.Optimization.Lr, t.Optimization.Momentum,
            t.Optimization.WeightDecay, t.Optimization.LrSchedule));
        Assert.Equal([Duration.Epochs(100), Duration.Epochs(150)], t.Optimization.Milestones);
        Assert.True(t.Sparsity.KeepLastDense);                               // prune_last=0
        Assert.Equal([0.8, 0.9, 0.95, 0.98], Paper.Sparsities);
        Assert.Equal((250, 250), (Paper.EffectiveFinetuneEpochs, Paper.EffectiveScratchEpochs));
        Assert.Equal([Duration.Epochs(100), Duration.Epochs(150), Duration.Epochs(200)], Paper.SparseMilestones!);
        Assert.Equal("reinit", Paper.ScratchInit);                           // sparse-scratch: init_network again after pruning
        Assert.Equal(5_000, t.Data.Val);                                      // selection by validation, not by test
        Paper.Validate();
    }

    [Fact]
    public void Given_the_paper_preset_Then_the_dense_rate_drops_at_100_and_150_and_the_sparse_rate_at_100_150_and_200()
    {
        const int perEpoch = 352;   // 45,000 training images / 128
        var dense = LearningRateSchedule.From(Paper.Train.Optimization, 200 * perEpoch, perEpoch);
        Assert.Equal([100 * perEpoch, 150 * perEpoch], dense.MilestoneSteps);
        var sparseOptions = Paper.Train.Optimization with { Epochs = 250, Milestones = Paper.SparseMilestones! };
        var sparse = LearningRateSchedule.From(sparseOptions, 250 * perEpoch, perEpoch);
        Assert.Equal([100 * perEpoch, 150 * perEpoch, 200 * perEpoch], sparse.MilestoneSteps);
        Assert.Equal(1e-4, sparse.At(250 * perEpoch - 1), 12);
    }
}
