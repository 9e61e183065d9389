// Magnitude keeps the largest |w|, checked on a hand example.
using SparseLab.Data;
using SparseLab.Sparsity;
using SparseLab.Sparsity.Criteria;
using TorchSharp;
using static TorchSharp.torch;

namespace SparseLab.Tests.Sparsity.Criteria;

public sealed class MagnitudeCriterionTests
{
    [Fact]
    public void GivenAHandPickedLayer_WhenPruningHalf_ThenTheThreeLargestMagnitudesSurvive()
    {
        using var scope = torch.NewDisposeScope();
        var model = nn.Sequential(("fc", nn.Linear(3, 2, hasBias: false)));
        using (torch.no_grad())
            model.parameters().First().copy_(torch.tensor(new float[] { 0.1f, -3f, 2f, -0.5f, 4f, 0.2f }).reshape(2, 3));

        using var mask = new MagnitudeCriterion().Prune(CriterionFixtures.Request(model, 0.5, [], new InputShape(1, 1, 3, 2)));

        Assert.Equal(new float[] { 0, 1, 1, 0, 1, 0 }, mask["fc.weight"].flatten().data<float>().ToArray());
    }
}
