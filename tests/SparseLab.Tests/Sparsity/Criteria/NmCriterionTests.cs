// N:M keeps N of every M consecutive input weights (the largest |w|), for
// linear and conv layers, and refuses layers and names it cannot serve.
using SparseLab.Data;
using SparseLab.Foundations;
using SparseLab.Sparsity;
using SparseLab.Sparsity.Criteria;
using TorchSharp;
using static TorchSharp.torch;

namespace SparseLab.Tests.Sparsity.Criteria;

public sealed class NmCriterionTests
{
    private static Mask Prune(nn.Module<Tensor, Tensor> model, string name = "nm:2:4", Mask? current = null) =>
        CriterionRegistry.Create(name).Prune(CriterionFixtures.Request(model, 0.3, [], new InputShape(8, 5, 5, 3), current: current));

    [Fact]
    public void GivenLinearAndConvLayers_WhenPruning2Of4_ThenEveryInputGroupKeepsItsTwoLargestMagnitudes()
    {
        using var scope = torch.NewDisposeScope();
        torch.manual_seed(3);
        var model = nn.Sequential(("conv", nn.Conv2d(8, 3, 3)), ("fc", nn.Linear(8, 3)));

        using var mask = Prune(model);

        Assert.Equal(0.5, mask.Sparsity, 10);
        foreach (var (name, w) in PrunableParameters.Of(model))
        {
            // Naive: walk each (out, kh, kw) and each group of 4 input channels.
            var m = mask[name];
            var wa = w.detach();
            bool conv = w.shape.Length == 4;
            long kh = conv ? w.shape[2] : 1, kw = conv ? w.shape[3] : 1;
            for (long o = 0; o < w.shape[0]; o++)
                for (long a = 0; a < kh; a++)
                    for (long b = 0; b < kw; b++)
                        for (long g = 0; g < w.shape[1]; g += 4)
                        {
                            var idx = Enumerable.Range(0, 4).Select(j => g + j).ToArray();
                            double At(Tensor t, long i) => (conv ? t[o, i, a, b] : t[o, i]).item<float>();
                            var kept = idx.Where(i => At(m, i) == 1).ToHashSet();
                            var largest = idx.OrderByDescending(i => Math.Abs(At(wa, i))).Take(2).ToHashSet();
                            Assert.Equal(2, kept.Count);
                            Assert.True(largest.SetEquals(kept), $"{name} out {o} group {g}");
                        }
        }
    }

    [Fact]
    public void GivenACurrentMask_WhenPruning2Of4_ThenPrunedPositionsStayPruned()
    {
        using var scope = torch.NewDisposeScope();
        torch.manual_seed(4);
        var model = nn.Sequential(("fc", nn.Linear(8, 4)));
        var zeroFirst = torch.ones(4, 8);
        zeroFirst[.., 0] = torch.tensor(0f);
        using var current = new Mask(new Dictionary<string, Tensor> { ["fc.weight"] = zeroFirst });

        using var mask = Prune(model, current: current);

        Assert.Equal(0, mask["fc.weight"][.., 0].sum().item<float>());
        Assert.Equal(0.5, mask.Sparsity, 10);
    }

    [Fact]
    public void GivenAnInputSizeNotDivisibleByM_WhenPruning_ThenTheErrorNamesTheLayerAndItsSize()
    {
        using var scope = torch.NewDisposeScope();
        var model = nn.Sequential(("conv1", nn.Conv2d(1, 6, 5)), ("fc", nn.Linear(8, 2)));

        var error = Assert.ThrowsAny<InvalidOptionException>(() => Prune(model));

        Assert.Contains("'conv1.weight'", error.Message);
        Assert.Contains("input size 1", error.Message);
    }

    [Theory]
    [InlineData("nm:4:2")]
    [InlineData("nm:2:2")]
    [InlineData("nm:0:4")]
    [InlineData("nm:-1:4")]
    [InlineData("nm:a:4")]
    [InlineData("nm:2")]
    [InlineData("nm:2:4:8")]
    public void GivenABadNmName_WhenCreating_ThenItIsAnOptionError(string name)
    {
        var error = Assert.ThrowsAny<InvalidOptionException>(() => CriterionRegistry.Create(name));
        Assert.Contains(name, error.Message);
        Assert.Contains("nm:2:4", error.Message);
    }
}
