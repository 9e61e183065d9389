// Random scores come from the request's seed: same seed, same mask.
using SparseLab.Data;
using SparseLab.Sparsity.Criteria;
using TorchSharp;
using static TorchSharp.torch;

namespace SparseLab.Tests.Sparsity.Criteria;

public sealed class RandomCriterionTests
{
    [Fact]
    public void GivenSeeds_WhenPruningTwiceWithEach_ThenTheSameSeedRepeatsAndAnotherDiffers()
    {
        using var scope = torch.NewDisposeScope();
        torch.manual_seed(0);
        var model = nn.Sequential(("a", nn.Linear(20, 10)), ("b", nn.Linear(10, 5)));
        var input = new InputShape(1, 1, 20, 5);
        var criterion = new RandomCriterion();

        using var first = criterion.Prune(CriterionFixtures.Request(model, 0.5, [], input, seed: 7));
        torch.rand(100);   // the global generator must not matter
        using var again = criterion.Prune(CriterionFixtures.Request(model, 0.5, [], input, seed: 7));
        using var other = criterion.Prune(CriterionFixtures.Request(model, 0.5, [], input, seed: 8));

        Assert.True(first["a.weight"].eq(again["a.weight"]).all().item<bool>() && first["b.weight"].eq(again["b.weight"]).all().item<bool>());
        Assert.False(first["a.weight"].eq(other["a.weight"]).all().item<bool>());
        Assert.Equal(0.5, first.Sparsity, 2);
    }
}
