// Pins the uniform budget: every layer keeps round((1 − s)·n_l) of its own
// highest scores, whatever the other layers' scores are.
using SparseLab.Sparsity;
using TorchSharp;
using static TorchSharp.torch;

namespace SparseLab.Tests.Sparsity;

public sealed class UniformBudgetTests
{
    [Fact]
    public void GivenThreeLayers_WhenAskingForCountsAtSparsity075_ThenEachKeepsAQuarterRounded()
    {
        // n = 50, 200, 100 → keep 12.5 → 13 (half away from zero), 50, 25.
        var counts = BudgetRegistry.Create("uniform").KeepCounts(ErkDensitiesTests.ThreeLinear, 0.75);

        Assert.Equal(13, counts["l1.weight"]);
        Assert.Equal(50, counts["l2.weight"]);
        Assert.Equal(25, counts["l3.weight"]);
    }

    [Fact]
    public void GivenOneLayerWithMuchLargerScores_WhenSelecting_ThenEveryLayerStillKeepsItsShareOfItsOwnTopScores()
    {
        using var scope = NewDisposeScope();
        using var generator = new Generator(7);
        var scores = new Dictionary<string, Tensor>
        {
            ["l1.weight"] = rand(10, 5, generator: generator),
            ["l2.weight"] = rand(20, 10, generator: generator).add(100),
            ["l3.weight"] = rand(5, 20, generator: generator),
        };

        using var mask = BudgetRegistry.Create("uniform").Select(scores, 0.75);

        foreach (var (name, keep) in new[] { ("l1.weight", 13L), ("l2.weight", 50L), ("l3.weight", 25L) })
        {
            var m = mask[name].to(ScalarType.Bool);
            Assert.Equal(keep, m.count_nonzero().item<long>());
            // Every kept score is at least every dropped score of the same layer.
            Assert.True(scores[name][m].min().item<float>() >= scores[name][m.logical_not()].max().item<float>());
        }
    }
}
