// Fisher's ½·mean_n(g_n²)·w² against a naive loop of per-example backward passes.
using SparseLab.Data;
using SparseLab.Sparsity.Criteria;
using TorchSharp;
using static TorchSharp.torch;

namespace SparseLab.Tests.Sparsity.Criteria;

public sealed class FisherCriterionTests
{
    [Fact]
    public void GivenATinyMlp_WhenScoring_ThenScoresEqualHalfMeanSquaredPerExampleGradientTimesWeightSquared()
    {
        using var scope = torch.NewDisposeScope();
        var model = CriterionFixtures.TinyMlp(3);
        var batches = CriterionFixtures.Batches(4, 2, 3, [4], 2, ScalarType.Float64);
        var request = CriterionFixtures.Request(model, 0.5, batches, new InputShape(1, 1, 4, 2));

        var scores = new FisherCriterion().Scores(request);

        var sums = request.Prunable.ToDictionary(p => p.Name, p => torch.zeros_like(p.Weight));
        int count = 0;
        foreach (var (x, y) in batches)
            for (int n = 0; n < x.shape[0]; n++)
            {
                model.zero_grad();
                nn.functional.cross_entropy(model.forward(x[n].unsqueeze(0)), y[n].unsqueeze(0)).backward();
                foreach (var (name, w) in request.Prunable) sums[name] += w.grad!.square();
                count++;
            }
        model.zero_grad();
        var expected = request.Prunable.ToDictionary(p => p.Name, p => 0.5 * sums[p.Name] / count * p.Weight.detach().square());
        CriterionFixtures.AssertClose(expected, scores, 1e-10);
    }
}
