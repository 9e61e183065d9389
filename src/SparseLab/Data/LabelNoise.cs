// Label noise for memorization experiments: a seeded fraction p of the
// training examples (exactly round(p·N), chosen by a permutation) gets a label
// drawn uniformly from the OTHER classes, so every chosen example is really
// mislabelled. Train accuracy is then reported separately on the noisy and
// the clean examples (a network that fits noisy labels memorizes them).
using SparseLab.Foundations;
using TorchSharp;
using static TorchSharp.torch;

namespace SparseLab.Data;

/// <param name="trueLabels">The relabelled examples' labels before the flip, in <paramref name="noisy"/>'s order.</param>
public sealed class NoisyLabels(Dataset noisy, Dataset clean, Dataset all, Tensor trueLabels) : IDisposable
{
    /// <summary>The training set with the noisy labels (what training sees).</summary>
    public Dataset All { get; } = all;
    /// <summary>The examples whose labels were replaced, with the replaced labels.</summary>
    public Dataset Noisy { get; } = noisy;
    /// <summary>The examples left as they were.</summary>
    public Dataset Clean { get; } = clean;
    /// <summary>The true labels of <see cref="Noisy"/>'s examples (every one differs from its noisy label): what "generalized" is scored against.</summary>
    public Tensor TrueLabels { get; } = trueLabels;

    public void Dispose()
    {
        All.Dispose();
        Noisy.Dispose();
        Clean.Dispose();
        TrueLabels.Dispose();
    }
}

public static class LabelNoise
{
    public static NoisyLabels Apply(Dataset train, double fraction, long seed)
    {
        if (fraction is <= 0 or >= 1 || double.IsNaN(fraction))
            throw ConfigError.Of(nameof(DataConfig.LabelNoise), $"must be in (0, 1), got {fraction}");
        if (train.NumClasses < 2)
            throw ConfigError.Of(nameof(DataConfig.LabelNoise), "needs at least 2 classes");
        using var scope = torch.NewDisposeScope();
        long n = train.Count, k = (long)Math.Round(fraction * n);
        var gen = new torch.Generator((ulong)(seed * 7919 + 17));
        var order = torch.randperm(n, generator: gen);
        var noisyIndex = order.narrow(0, 0, k).sort().Values;
        var cleanIndex = order.narrow(0, k, n - k).sort().Values;
        var labels = train.Labels.clone();
        var trueLabels = labels.index_select(0, noisyIndex);
        var shift = torch.randint(1, train.NumClasses, [k], generator: gen);       // 1..C−1: never the true class
        labels.index_put_((labels.index_select(0, noisyIndex) + shift).remainder(train.NumClasses), noisyIndex);

        var all = new Dataset(train.Name, train.Images.clone(), labels.clone(), train.NumClasses);
        var noisy = new Dataset(train.Name, train.Images.index_select(0, noisyIndex), labels.index_select(0, noisyIndex), train.NumClasses);
        var clean = new Dataset(train.Name, train.Images.index_select(0, cleanIndex), labels.index_select(0, cleanIndex), train.NumClasses);
        return new NoisyLabels(noisy, clean, all, trueLabels.DetachFromDisposeScope());
    }
}
