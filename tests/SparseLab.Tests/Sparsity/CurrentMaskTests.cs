// Pins how every budget treats an existing mask: its zeros are never kept
// (even against −∞ survivors) and count toward the sparsity; a layer asked for
// more than it has left keeps all its survivors.
using SparseLab.Sparsity;
using static TorchSharp.torch;

namespace SparseLab.Tests.Sparsity;

public sealed class CurrentMaskTests
{
    // Layer a: 16 weights, the current mask removed the first 8, which hold the highest scores;
    // the survivors score 8..15 below them, so a budget that ignored the mask would keep removed weights.
    private static Dictionary<string, Tensor> Scores() => new()
    {
        ["a.weight"] = arange(16, 0, -1, dtype: ScalarType.Float32).view(4, 4),   // 16, 15, …, 1
        ["b.weight"] = arange(16, dtype: ScalarType.Float32).view(4, 4),          // 0, 1, …, 15
    };

    private static Mask Current() => new(new Dictionary<string, Tensor>
    {
        ["a.weight"] = cat([zeros(8), ones(8)]).view(4, 4),
        ["b.weight"] = cat([ones(8), zeros(8)]).view(4, 4),
    });

    [Theory]
    [InlineData("global")]
    [InlineData("uniform")]
    [InlineData("erk")]
    public void GivenACurrentMask_WhenSelectingAtSparsity075_ThenRemovedWeightsStayRemovedAndTheTotalIsOnTarget(string budget)
    {
        using var scope = NewDisposeScope();
        using var current = Current();

        using var mask = BudgetRegistry.Create(budget).Select(Scores(), 0.75, current);

        foreach (var name in new[] { "a.weight", "b.weight" })
            Assert.Equal(0, mask[name].mul(current[name].eq(0)).count_nonzero().item<long>());
        Assert.Equal(8, mask.Nonzero);   // 32 weights at 0.75; the 16 already removed count as zeros
    }

    [Fact]
    public void GivenSurvivorsScoringMinusInfinity_WhenSelecting_ThenOnlySurvivorsAreKept()
    {
        using var scope = NewDisposeScope();
        using var current = Current();
        var scores = new Dictionary<string, Tensor>
        {
            ["a.weight"] = cat([ones(8), full(8, float.NegativeInfinity)]).view(4, 4),
            ["b.weight"] = cat([full(8, float.NaN), ones(8)]).view(4, 4),
        };

        using var mask = BudgetRegistry.Create("global").Select(scores, 0.75, current);

        Assert.Equal(8, mask.Nonzero);
        Assert.Equal(0, mask["a.weight"].flatten()[..8].count_nonzero().item<long>());
        Assert.Equal(0, mask["b.weight"].flatten()[8..].count_nonzero().item<long>());
    }

    [Fact]
    public void GivenALayerWithFewerSurvivorsThanItsShare_WhenSelecting_ThenItKeepsAllSurvivors()
    {
        using var scope = NewDisposeScope();
        using var current = Current();

        // Uniform 0.25 asks each layer for 12 of 16, but only 8 survive in each.
        using var mask = BudgetRegistry.Create("uniform").Select(Scores(), 0.25, current);

        Assert.True(mask["a.weight"].eq(current["a.weight"]).all().item<bool>());
        Assert.True(mask["b.weight"].eq(current["b.weight"]).all().item<bool>());
        Assert.Equal(0.5, mask.Sparsity);
    }
}
