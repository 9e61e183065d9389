// Pins the global budget against a hand-picked example: one topk over all
// layers keeps exactly the k largest scores, wherever they are.
using SparseLab.Sparsity;
using TorchSharp;
using static TorchSharp.torch;

namespace SparseLab.Tests.Sparsity;

public sealed class GlobalBudgetTests
{
    [Fact]
    public void GivenTwoSmallLayers_WhenKeepingThreeOfSeven_ThenTheThreeLargestScoresOverallSurvive()
    {
        using var scope = NewDisposeScope();
        // Scores 0.1 0.9 / 0.5 0.2 and 0.8 0.3 0.05: the three largest are 0.9 and 0.5 (layer a) and 0.8 (layer b).
        var scores = new Dictionary<string, Tensor>
        {
            ["a.weight"] = tensor(new[] { 0.1f, 0.9f, 0.5f, 0.2f }).view(2, 2),
            ["b.weight"] = tensor(new[] { 0.8f, 0.3f, 0.05f }).view(1, 3),
        };

        using var mask = BudgetRegistry.Create("global").Select(scores, 4.0 / 7.0);

        Assert.Equal(new[] { 0f, 1f, 1f, 0f }, mask["a.weight"].flatten().data<float>().ToArray());
        Assert.Equal(new[] { 1f, 0f, 0f }, mask["b.weight"].flatten().data<float>().ToArray());
        Assert.Equal(new long[] { 2, 2 }, mask["a.weight"].shape);
        Assert.Equal(new[] { "a.weight", "b.weight" }, mask.Names);
        Assert.Equal(3, mask.Nonzero);
    }

    [Fact]
    public void GivenNaNAndInfiniteScores_WhenSelecting_ThenNaNRanksBelowEveryNumber()
    {
        using var scope = NewDisposeScope();
        var scores = new Dictionary<string, Tensor>
        {
            ["a.weight"] = tensor(new[] { float.NaN, float.PositiveInfinity, -5f, float.NegativeInfinity }),
        };

        using var mask = BudgetRegistry.Create("global").Select(scores, 0.5);

        Assert.Equal(new[] { 0f, 1f, 1f, 0f }, mask["a.weight"].data<float>().ToArray());
    }

    [Fact]
    public void GivenTheGlobalBudget_WhenAskingForPerLayerCounts_ThenItSaysTheyDependOnTheScores()
    {
        var budget = BudgetRegistry.Create("global");

        Assert.Throws<NotSupportedException>(() => budget.KeepCounts([("a.weight", new long[] { 2, 2 })], 0.5));
    }
}
