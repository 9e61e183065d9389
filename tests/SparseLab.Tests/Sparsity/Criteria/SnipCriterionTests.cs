// SNIP's |g ⊙ w| against g from central finite differences of the summed batch losses.
using SparseLab.Data;
using SparseLab.Sparsity.Criteria;
using TorchSharp;
using static TorchSharp.torch;

namespace SparseLab.Tests.Sparsity.Criteria;

public sealed class SnipCriterionTests
{
    [Fact]
    public void GivenATinyMlp_WhenScoring_ThenScoresEqualWeightTimesFiniteDifferenceGradient()
    {
        using var scope = torch.NewDisposeScope();
        var model = CriterionFixtures.TinyMlp(1);
        var batches = CriterionFixtures.Batches(2, 2, 5, [4], 2, ScalarType.Float64);
        var request = CriterionFixtures.Request(model, 0.5, batches, new InputShape(1, 1, 4, 2));

        var scores = new SnipCriterion().Scores(request);

        var g = CriterionFixtures.FiniteDifference(request.Prunable,
            () => batches.Select(b => nn.functional.cross_entropy(model.forward(b.Input), b.Labels)).Aggregate((a, b) => a + b), 1e-6);
        var expected = request.Prunable.ToDictionary(p => p.Name, p => (g[p.Name] * p.Weight.detach()).abs());
        CriterionFixtures.AssertClose(expected, scores, 1e-4);
    }
}
