// End to end on the real data: a short LeNet-5 run on Fashion-MNIST learns.
namespace SparseLab.Tests.Cli;

[Trait("Category", "Slow")]
public sealed class FashionMnistTrainingTests
{
    [Fact]
    public void Given_real_fashion_mnist_When_lenet5_trains_one_short_epoch_Then_it_is_far_above_chance()
    {
        Assert.True(Directory.Exists("/usr/share/datasets/fashion-mnist"),
            "Fashion-MNIST is not installed; run: sudo apt-get install dataset-fashion-mnist (.ci/run does)");
        using var dir = new TempDir();
        var r = CliRunner.Run("train", "--dataset", "fashion-mnist", "--model", "lenet5", "--epochs", "1",
            "--limit-train", "3000", "--limit-test", "1000", "--threads", "2", "--out", dir.Combine("run"));
        Assert.True(r.ExitCode == 0, r.Err);
        var summary = new SparseLab.Training.RunFolder(dir.Combine("run")).ReadSummary();
        Assert.InRange(summary.TestAccuracy, 0.55, 1.0);   // chance is 0.10
        Assert.Equal(3000, summary.TrainExamples);
    }
}
