// Pins the contract every budget shares on resnet20's real prunable shapes:
// the achieved total sparsity equals the target to within one weight per layer,
// also with a layer fixed by --layer-sparsity; overrides that cannot meet the
// target are refused.
using SparseLab.Foundations;
using SparseLab.Models;
using SparseLab.Sparsity;
using TorchSharp;
using static TorchSharp.torch;

namespace SparseLab.Tests.Sparsity;

public sealed class BudgetTargetTests
{
    private static readonly Lazy<IReadOnlyList<(string Name, long[] Shape)>> ResNet20 = new(() =>
    {
        using var model = ModelRegistry.Create(new ModelSpec("resnet20", 3, 32, 32, 10));
        return [.. PrunableParameters.Of(model).Select(p => (p.Name, p.Weight.shape))];
    });

    public static TheoryData<string, double> EveryBudgetAndSparsity()
    {
        var data = new TheoryData<string, double>();
        foreach (var name in BudgetRegistry.Names)
            foreach (var s in new[] { 0.5, 0.9, 0.98 }) data.Add(name, s);
        return data;
    }

    internal static Dictionary<string, Tensor> RandomScores(IEnumerable<(string Name, long[] Shape)> layers, long seed)
    {
        using var generator = new Generator((ulong)seed);
        return layers.ToDictionary(l => l.Name, l => rand(l.Shape, generator: generator));
    }

    [Theory]
    [MemberData(nameof(EveryBudgetAndSparsity))]
    public void GivenResNet20AndRandomScores_WhenSelecting_ThenTotalSparsityIsOnTargetWithinOneWeightPerLayer(string budget, double sparsity)
    {
        using var scope = NewDisposeScope();
        var layers = ResNet20.Value;
        var scores = RandomScores(layers, 1);

        using var mask = BudgetRegistry.Create(budget).Select(scores, sparsity);

        Assert.Equal(layers.Select(l => l.Name), mask.Names);
        long total = layers.Sum(l => l.Shape.Aggregate(1L, (a, d) => a * d));
        Assert.Equal(total, mask.Total);
        Assert.InRange(mask.Nonzero, (1 - sparsity) * total - layers.Count, (1 - sparsity) * total + layers.Count);
    }

    [Theory]
    [MemberData(nameof(EveryBudgetAndSparsity))]
    public void GivenTheFirstConvFixedDense_WhenSelecting_ThenItIsDenseAndTheTotalIsStillOnTarget(string budget, double sparsity)
    {
        using var scope = NewDisposeScope();
        var layers = ResNet20.Value;
        var scores = RandomScores(layers, 2);
        var overrides = BudgetRegistry.ParseOverrides("conv1=0,fc=0.5");

        using var mask = BudgetRegistry.Create(budget, overrides).Select(scores, sparsity);

        var byName = mask.Layers.ToDictionary(l => l.Name);
        Assert.Equal(0.0, byName["conv1.weight"].Sparsity);
        Assert.Equal(0.5, byName["fc.weight"].Sparsity);
        long total = mask.Total;
        Assert.InRange(mask.Nonzero, (1 - sparsity) * total - layers.Count, (1 - sparsity) * total + layers.Count);
    }

    [Theory]
    [InlineData("global")]
    [InlineData("uniform")]
    [InlineData("erk")]
    public void GivenAnOverrideKeepingMoreThanTheTotalAllows_WhenSelecting_ThenItRefusesNamingTheOption(string budget)
    {
        using var scope = NewDisposeScope();
        // fc1 of the MLP alone holds 235200 of 266200 weights; at sparsity 0.9 only 26620 may stay.
        IReadOnlyList<(string, long[])> mlp = [("fc1.weight", [300, 784]), ("fc2.weight", [100, 300]), ("fc3.weight", [10, 100])];
        var scores = RandomScores(mlp, 3);

        var e = Assert.ThrowsAny<InvalidOptionException>(
            () => BudgetRegistry.Create(budget, new Dictionary<string, double> { ["fc1"] = 0.5 }).Select(scores, 0.9));

        Assert.Contains("layer_sparsity", e.Message);
        Assert.Contains("fc1.weight", e.Message);
        Assert.Equal(2, e.ExitCode);
    }

    [Fact]
    public void GivenAnOverrideForALayerTheModelLacks_WhenSelecting_ThenItRefusesListingTheLayers()
    {
        using var scope = NewDisposeScope();
        var scores = RandomScores(ErkDensitiesTests.ThreeLinear, 4);

        var e = Assert.ThrowsAny<InvalidOptionException>(
            () => BudgetRegistry.Create("uniform", new Dictionary<string, double> { ["conv9"] = 0.5 }).Select(scores, 0.5));

        Assert.Contains("'conv9'", e.Message);
        Assert.Contains("l1.weight", e.Message);
    }

    [Theory]
    [InlineData(-0.1)]
    [InlineData(1.0)]
    [InlineData(double.NaN)]
    public void GivenASparsityOutsideZeroToOne_WhenSelecting_ThenItRefuses(double sparsity)
    {
        using var scope = NewDisposeScope();
        var scores = RandomScores(ErkDensitiesTests.ThreeLinear, 5);

        var e = Assert.ThrowsAny<InvalidOptionException>(() => BudgetRegistry.Create("erk").Select(scores, sparsity));

        Assert.Contains("target", e.Message);
    }
}
