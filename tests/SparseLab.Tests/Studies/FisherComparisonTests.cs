// The seed's Fisher claim as a paired test: per sparsity and epoch, scratch − finetune
// over seeds with a 95 % interval, computed by hand here.
using SparseLab.Studies;

namespace SparseLab.Tests.Studies;

public sealed class FisherComparisonTests
{
    private static FisherSeries Series(string method, long seed, params double[] trace) =>
        new(method, 0.9, seed, [.. Enumerable.Range(0, trace.Length)], [.. Enumerable.Range(0, trace.Length).Select(e => (long)e * 10)], trace, trace);

    [Fact]
    public void Given_three_seeds_Then_each_epoch_has_the_paired_difference_and_its_verdict()
    {
        var fisher = new[]
        {
            Series("scratch", 1, 1.0, 10, 5), Series("finetune", 1, 3.0, 4, 5.2),
            Series("scratch", 2, 1.2, 11, 5), Series("finetune", 2, 3.1, 4.5, 4.9),
            Series("scratch", 3, 0.9, 12, 5), Series("finetune", 3, 3.3, 5, 5.0),
            Series("dense", 1, 9, 9, 9),
        };
        var gaps = FisherComparison.Build(fisher);
        Assert.Equal([0, 1, 2], gaps.Select(g => g.Epoch));
        Assert.Equal(((1.0 - 3.0) + (1.2 - 3.1) + (0.9 - 3.3)) / 3, gaps[0].Difference.Mean, 12);
        Assert.Equal(3, gaps[0].Difference.N);
        Assert.Equal(["lower", "higher", "undecided"], gaps.Select(g => g.Verdict));
    }
}
