// GraSP's Hg against an explicit Hessian from finite differences of autograd
// gradients, and its sign: the kept weights are those with the lowest S = −w ⊙ Hg.
using SparseLab.Data;
using SparseLab.Sparsity.Criteria;
using TorchSharp;
using static TorchSharp.torch;

namespace SparseLab.Tests.Sparsity.Criteria;

public sealed class GraspCriterionTests
{
    [Fact]
    public void GivenATinyMlp_WhenScoring_ThenScoresEqualWeightTimesExplicitHessianTimesGradient()
    {
        using var scope = torch.NewDisposeScope();
        var model = CriterionFixtures.TinyMlp(5);
        var batches = CriterionFixtures.Batches(6, 2, 5, [4], 2, ScalarType.Float64);
        var request = CriterionFixtures.Request(model, 0.5, batches, new InputShape(1, 1, 4, 2));
        const double T = 1.0;

        var scores = new GraspCriterion(T).Scores(request);

        // Gradient of L = Σ_b CE(f(x_b)/T, y_b) as one flat vector, and H column by column.
        Tensor[] weights = [.. request.Prunable.Select(p => (Tensor)p.Weight)];
        Tensor FlatGrad()
        {
            using var enable = torch.enable_grad();
            var loss = batches.Select(b => nn.functional.cross_entropy(model.forward(b.Input) / T, b.Labels)).Aggregate((a, b) => a + b);
            return torch.cat([.. torch.autograd.grad([loss], weights).Select(g => g.flatten())]);
        }
        var g = FlatGrad();
        var columns = CriterionFixtures.FiniteDifference(request.Prunable, FlatGrad, 1e-5);
        var hessian = torch.cat([.. request.Prunable.Select(p => columns[p.Name].reshape(-1, g.numel()))]);   // (P, P), row j = ∂g/∂w_j
        var hg = hessian.T.matmul(g);
        var expected = new Dictionary<string, Tensor>();
        long offset = 0;
        foreach (var (name, w) in request.Prunable)
        {
            expected[name] = w.detach() * hg.narrow(0, offset, w.numel()).reshape(w.shape);
            offset += w.numel();
        }
        CriterionFixtures.AssertClose(expected, scores, 1e-4);
    }

    [Fact]
    public void GivenGraspScores_WhenPruningHalfGlobally_ThenTheKeptWeightsAreThoseWithTheLowestS()
    {
        using var scope = torch.NewDisposeScope();
        var model = CriterionFixtures.TinyMlp(7);
        var batches = CriterionFixtures.Batches(8, 2, 5, [4], 2, ScalarType.Float64);
        var request = CriterionFixtures.Request(model, 0.5, batches, new InputShape(1, 1, 4, 2));
        var criterion = new GraspCriterion();

        var keep = criterion.Scores(request);
        using var mask = criterion.Prune(request);

        // S = −w ⊙ Hg (the paper's score); Algorithm 1 removes the largest S.
        var s = torch.cat([.. request.Prunable.Select(p => (-keep[p.Name]).flatten())]);
        var kept = torch.cat([.. request.Prunable.Select(p => mask[p.Name].flatten())]);
        long nKeep = kept.sum().item<float>() is var k ? (long)k : 0;
        var lowest = s.argsort().narrow(0, 0, nKeep);
        var expected = torch.zeros_like(kept).index_fill_(0, lowest, 1);
        Assert.Equal(9, nKeep);
        Assert.True(expected.eq(kept).all().item<bool>());
    }
}
