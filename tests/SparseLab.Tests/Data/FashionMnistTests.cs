// Loads the real Fashion-MNIST from Debian's dataset-fashion-mnist package and checks its known statistics.
using SparseLab.Data;
using TorchSharp;
using static TorchSharp.torch;

namespace SparseLab.Tests.Data;

[Trait("Category", "Slow")]
public sealed class FashionMnistTests
{
    private const string DebianDir = "/usr/share/datasets/fashion-mnist";

    [Fact]
    public void GivenTheInstalledFashionMnist_WhenLoaded_ThenSizesLabelsAndPixelMeanMatchThePublishedValues()
    {
        Assert.True(File.Exists(Path.Combine(DebianDir, "train-images-idx3-ubyte.gz")),
            "Fashion-MNIST is not installed; run: sudo apt-get install dataset-fashion-mnist (.ci/run does)");

        using var splits = DatasetCatalog.Load(new DataOptions("fashion-mnist", DebianDir));
        using var scope = NewDisposeScope();

        Assert.Equal((60000L, 10000L), (splits.Train.Count, splits.Test.Count));
        Assert.Equal((1, 28, 28), (splits.Train.Channels, splits.Train.Height, splits.Train.Width));
        Assert.Equal((0L, 9L), (splits.Train.Labels.min().item<long>(), splits.Train.Labels.max().item<long>()));
        Assert.Equal((0L, 9L), (splits.Test.Labels.min().item<long>(), splits.Test.Labels.max().item<long>()));
        Assert.True(splits.Train.Labels.bincount(null).eq(6000).all().item<bool>());   // balanced: 6000 per class
        double mean = splits.Train.Images.to(ScalarType.Float64).mean().item<double>() / 255;
        Assert.InRange(mean, 0.2860 - 1e-3, 0.2860 + 1e-3);
        Assert.Equal(0.2860f, splits.Info.Mean[0]);
    }
}
