// Pins the budget registry's names and the --layer-sparsity parser, including
// error messages that name the option and the part that is wrong.
using SparseLab.Foundations;
using SparseLab.Sparsity;

namespace SparseLab.Tests.Sparsity;

public sealed class BudgetRegistryTests
{
    [Fact]
    public void GivenTheRegistry_WhenCreatingEveryName_ThenEachBudgetReportsItsName()
    {
        Assert.Equal(new[] { "global", "uniform", "erk" }, BudgetRegistry.Names);
        foreach (var name in BudgetRegistry.Names) Assert.Equal(name, BudgetRegistry.Create(name).Name);
    }

    [Fact]
    public void GivenAnUnknownName_WhenCreating_ThenTheErrorListsTheKnownBudgets()
    {
        var e = Assert.ThrowsAny<InvalidOptionException>(() => BudgetRegistry.Create("x"));

        Assert.Equal("budget 'x' is not known; use one of: global, uniform, erk", e.Message);
        Assert.Equal(2, e.ExitCode);
    }

    [Fact]
    public void GivenAnOverrideOfOne_WhenCreating_ThenItRefuses()
    {
        var e = Assert.ThrowsAny<InvalidOptionException>(
            () => BudgetRegistry.Create("erk", new Dictionary<string, double> { ["conv1"] = 1.0 }));

        Assert.Contains("layer_sparsity conv1=1", e.Message);
    }

    [Fact]
    public void GivenWellFormedText_WhenParsingOverrides_ThenEachLayerGetsItsSparsity()
    {
        var o = BudgetRegistry.ParseOverrides(" conv1=0.5, fc3 = 0 ,layer1.0.conv2.weight=0.25");

        Assert.Equal(3, o.Count);
        Assert.Equal(0.5, o["conv1"]);
        Assert.Equal(0.0, o["fc3"]);
        Assert.Equal(0.25, o["layer1.0.conv2.weight"]);
        Assert.Empty(BudgetRegistry.ParseOverrides(""));
    }

    [Theory]
    [InlineData("conv1", "'conv1'")]
    [InlineData("conv1=0.5,=0.2", "'=0.2'")]
    [InlineData("conv1=abc", "'conv1=abc'")]
    [InlineData("conv1=0.5=0.2", "'conv1=0.5=0.2'")]
    [InlineData("conv1=1", "conv1=1")]
    [InlineData("fc3=-0.1", "fc3=-0.1")]
    [InlineData("conv1=0.5,conv1=0.2", "'conv1' twice")]
    [InlineData("conv1=0.5,", "''")]
    public void GivenMalformedText_WhenParsingOverrides_ThenTheErrorNamesTheOptionAndTheBadPart(string text, string badPart)
    {
        var e = Assert.ThrowsAny<InvalidOptionException>(() => BudgetRegistry.ParseOverrides(text));

        Assert.Contains("layer_sparsity", e.Message);
        Assert.Contains(badPart, e.Message);
    }
}
