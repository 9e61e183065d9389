// The Fréchet LeNet distance's feature extractor: trained once into the cache
// and reused; a set scores 0 against itself, the training images score near
// the test images, and a pixel Gaussian scores far from them.
using SparseLab.Data;
using SparseLab.Diffusion;
using SparseLab.Training;

namespace SparseLab.Tests.Diffusion;

[Trait("Category", "Slow")]
public sealed class FrechetLeNetTests
{
    private sealed class Silent : ITrainingObserver;

    [Fact]
    public void GivenTheSyntheticImages_ThenTheClassifierIsTrainedOnceAndTheReferencesAreOrdered()
    {
        using var dir = new TempDir();
        var data = new DataConfig { Dataset = "synthetic" };
        using var splits = DatasetCatalog.Load(DataOptions.For(data));
        var pixels = splits.Info with { Mean = [0.5f], Std = [0.5f] };
        var (test, _) = new BatchLoader(splits.Test, pixels, (int)splits.Test.Count, train: false, TorchSharp.torch.CPU).Batch(0, 0, 0);
        var (train, _) = new BatchLoader(splits.Train.Slice(0, splits.Test.Count), pixels, (int)splits.Test.Count, train: false, TorchSharp.torch.CPU).Batch(0, 0, 0);

        double accuracy;
        string folder;
        using (var lenet = FrechetLeNet.For(data, splits.Info, new Silent(), dir.Path))
        {
            (accuracy, folder) = (lenet.ClassifierTestAccuracy, lenet.ClassifierRun);
            Assert.InRange(accuracy, 0.5, 1.0);                                          // chance is 0.1
            using var reference = lenet.Statistics(test);
            using var same = lenet.Statistics(test);
            using var floor = lenet.Statistics(train);
            using var gaussian = lenet.Statistics(GaussianImages.Sample(train, test.shape[0], 1));
            Assert.Equal(0, FrechetDistance.Between(same, reference), 6);
            Assert.True(FrechetDistance.Between(floor, reference) < FrechetDistance.Between(gaussian, reference),
                $"floor {FrechetDistance.Between(floor, reference)} vs Gaussian {FrechetDistance.Between(gaussian, reference)}");
        }
        var written = File.GetLastWriteTimeUtc(Path.Combine(folder, "summary.json"));
        using var again = FrechetLeNet.For(data, splits.Info, new Silent(), dir.Path);
        Assert.Equal(folder, again.ClassifierRun);
        Assert.Equal(accuracy, again.ClassifierTestAccuracy);
        Assert.Equal(written, File.GetLastWriteTimeUtc(Path.Combine(folder, "summary.json")));   // reused, not retrained
    }
}
