// The Fréchet LeNet distance: FID's formula (Heusel et al. 2017) on features
// that need nothing from the internet — the 84-d penultimate activations of a
// LeNet-5 that SparseLab trains itself on the same dataset. The classifier is
// trained once, deterministically (seed 1, 5 epochs, the classifier recipe),
// into the cache folder under its config hash, and reused by every score;
// its test accuracy goes with every score so a reader knows how good the
// feature extractor was.
using SparseLab.Data;
using SparseLab.Foundations;
using SparseLab.Models;
using SparseLab.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace SparseLab.Diffusion;

public sealed class FrechetLeNet : IDisposable
{
    /// <summary>LeNet-5's penultimate width: the features compared.</summary>
    public const int FeatureCount = 84;

    private readonly SavedRun _classifier;
    private readonly DatasetInfo _info;

    private FrechetLeNet(SavedRun classifier, DatasetInfo info, double accuracy) =>
        (_classifier, _info, ClassifierTestAccuracy) = (classifier, info, accuracy);

    /// <summary>The test accuracy of the LeNet-5 whose features are compared.</summary>
    public double ClassifierTestAccuracy { get; }

    /// <summary>The feature extractor's run folder.</summary>
    public string ClassifierRun => _classifier.Folder.Path;

    /// <summary>The classifier's config: LeNet-5 on the dataset, every other option at the image recipe's default.</summary>
    public static TrainConfig ClassifierConfig(DataConfig data) => new()
    {
        Data = new DataConfig { Dataset = data.Dataset, DataDir = data.DataDir },
        Model = new ModelConfig { Name = "lenet5" },
        Optimization = new OptimizationConfig { Epochs = 5 },
        Seed = 1,
    };

    /// <summary>The feature extractor for the dataset: trained on first use (about a minute on 2 cores), then read from the cache.</summary>
    public static FrechetLeNet For(DataConfig data, DatasetInfo info, ITrainingObserver observer, string? cacheRoot = null)
    {
        var config = ClassifierConfig(data);
        string folder = TrainingRun.DefaultFolder(config, Path.Combine(cacheRoot ?? CacheFolder.Default, "frechet-lenet"));
        if (!new RunFolder(folder).IsFinished) observer.Message($"the Fréchet LeNet distance trains its LeNet-5 once, into {folder}");
        var outcome = TrainingRun.Execute(config, folder, resume: new RunFolder(folder).HasCheckpoint, observer);
        return new FrechetLeNet(SavedRun.Open(folder), info, outcome.Summary.TestAccuracy);
    }

    /// <summary>Penultimate features (N, 84) of images (N, C, H, W) in [-1, 1], normalized as the classifier was trained.</summary>
    public Tensor Features(Tensor images, int batchSize = 256)
    {
        var lenet = (LeNet5)_classifier.Model;
        lenet.eval();
        var shape = new long[] { 1, _info.Channels, 1, 1 };
        var parts = new List<Tensor>();
        using (no_grad())
            for (long i = 0; i < images.shape[0]; i += batchSize)
            {
                using var scope = NewDisposeScope();
                var x = images.narrow(0, i, Math.Min(batchSize, images.shape[0] - i)).add(1).div(2);   // [0, 1]
                x = x.sub(tensor(_info.Mean).view(shape)).div(tensor(_info.Std).view(shape));
                parts.Add(lenet.Features(x).MoveToOuterDisposeScope());
            }
        var all = cat(parts, 0);
        foreach (var p in parts) p.Dispose();
        return all;
    }

    /// <summary>The statistics of the features of images in [-1, 1] (N must exceed the 84 features).</summary>
    public FeatureStatistics Statistics(Tensor images)
    {
        using var features = Features(images);
        return FeatureStatistics.From(features);
    }

    public void Dispose() => _classifier.Dispose();
}
