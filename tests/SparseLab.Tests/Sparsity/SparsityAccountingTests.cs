// Pins parameter and multiply-accumulate counts against hand calculations for
// the MLP (LeNet-300-100) and LeNet-5's convolutions, dense and after pruning.
using SparseLab.Data;
using SparseLab.Models;
using SparseLab.Sparsity;
using TorchSharp;
using static TorchSharp.torch;

namespace SparseLab.Tests.Sparsity;

public sealed class SparsityAccountingTests
{
    private static readonly InputShape Mnist = new(1, 28, 28, 10);

    [Fact]
    public void GivenTheDenseMlp_WhenMeasuring_ThenFlopsAreInTimesOutPlusBiasPerLayer()
    {
        using var scope = NewDisposeScope();
        using var model = ModelRegistry.Create(new ModelSpec("mlp", 1, 28, 28, 10));

        var costs = SparsityAccounting.Measure(model, Mnist);

        Assert.Equal(new[] { "fc1.weight", "fc2.weight", "fc3.weight" }, costs.Select(c => c.Name));
        Assert.All(costs, c => Assert.Equal("linear", c.Kind));
        Assert.Equal(new long[] { 784 * 300, 300 * 100, 100 * 10 }, costs.Select(c => c.Params));
        Assert.Equal(new long[] { 784 * 300 + 300, 300 * 100 + 100, 100 * 10 + 10 }, costs.Select(c => c.FlopsDense));
        Assert.Equal(costs.Select(c => c.FlopsDense), costs.Select(c => c.FlopsSparse));
        Assert.Equal(784 * 300 + 300 + 300 * 100 + 100 + 100 * 10 + 10, costs.Sum(c => c.FlopsDense));
    }

    [Fact]
    public void GivenHalfOfFc1ZeroedByHand_WhenMeasuring_ThenSparseFlopsCountOnlyNonzeroWeights()
    {
        using var scope = NewDisposeScope();
        using var model = ModelRegistry.Create(new ModelSpec("mlp", 1, 28, 28, 10));
        var fc1 = PrunableParameters.Of(model).Single(p => p.Name == "fc1.weight").Weight;
        using (no_grad()) fc1[TensorIndex.Slice(0, 150)].zero_();   // 150 of 300 output rows
        model.train();

        var costs = SparsityAccounting.Measure(model, Mnist);

        Assert.Equal(150 * 784, costs[0].Nonzero);
        Assert.Equal(150 * 784 + 300, costs[0].FlopsSparse);
        Assert.Equal(784 * 300 + 300, costs[0].FlopsDense);
        Assert.Equal(300 * 100 + 100, costs[1].FlopsSparse);
        Assert.True(model.training);
    }

    [Fact]
    public void GivenLeNet5InEvalMode_WhenMeasuring_ThenConvFlopsUseEachOutputSizeAndTheModeIsKept()
    {
        using var scope = NewDisposeScope();
        using var model = ModelRegistry.Create(new ModelSpec("lenet5", 1, 28, 28, 10));
        model.eval();

        var costs = SparsityAccounting.Measure(model, Mnist).ToDictionary(c => c.Name);

        // conv1: 28x28 output (padding 2), 6 channels, 1x5x5 kernel; conv2: 14 − 5 + 1 = 10 → 10x10, 16 channels, 6x5x5.
        Assert.Equal("conv", costs["conv1.weight"].Kind);
        Assert.Equal(new long[] { 6, 1, 5, 5 }, costs["conv1.weight"].Shape);
        Assert.Equal(28 * 28 * 6 * 1 * 5 * 5 + 28 * 28 * 6, costs["conv1.weight"].FlopsDense);
        Assert.Equal(10 * 10 * 16 * 6 * 5 * 5 + 10 * 10 * 16, costs["conv2.weight"].FlopsDense);
        Assert.Equal(400 * 120 + 120, costs["fc1.weight"].FlopsDense);
        Assert.False(model.training);
    }

    [Theory]
    [InlineData("resnet20", 3, 32)]
    [InlineData("vgg11", 3, 32)]
    public void GivenADeeperModel_WhenMeasuring_ThenEveryPrunableLayerIsCountedWithAtLeastItsWeights(string name, int channels, int side)
    {
        using var scope = NewDisposeScope();
        using var model = ModelRegistry.Create(new ModelSpec(name, channels, side, side, 10));

        var costs = SparsityAccounting.Measure(model, new InputShape(channels, side, side, 10));

        Assert.Equal(PrunableParameters.Of(model).Select(p => p.Name), costs.Select(c => c.Name));
        Assert.All(costs, c => Assert.True(c.FlopsDense >= c.Params && c.FlopsSparse <= c.FlopsDense, c.Name));
        // resnet20's first conv: 32x32 output, 16 channels, 3x3x3 kernel, no bias.
        if (name == "resnet20") Assert.Equal(32 * 32 * 16 * 3 * 3 * 3, costs[0].FlopsDense);
    }
}
