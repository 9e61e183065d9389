// SynFlow against its closed form on a linear chain, its iterative schedule
// reaching the target, and the model left untouched.
using System.Diagnostics;
using SparseLab.Data;
using SparseLab.Models;
using SparseLab.Sparsity;
using SparseLab.Sparsity.Criteria;
using TorchSharp;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace SparseLab.Tests.Sparsity.Criteria;

public sealed class SynFlowCriterionTests(ITestOutputHelper output)
{
    [Fact]
    public void GivenALinearChainWithoutBias_WhenScoringOneRound_ThenScoresMatchTheClosedForm()
    {
        using var scope = torch.NewDisposeScope();
        torch.manual_seed(11);
        var model = nn.Sequential(("a", nn.Linear(5, 4, hasBias: false, dtype: ScalarType.Float64)),
                                  ("b", nn.Linear(4, 3, hasBias: false, dtype: ScalarType.Float64)));
        var request = CriterionFixtures.Request(model, 0.5, [], new InputShape(1, 1, 5, 3));
        var w1 = request.Prunable[0].Weight.detach().abs();   // (4, 5)
        var w2 = request.Prunable[1].Weight.detach().abs();   // (3, 4)

        var scores = new SynFlowCriterion().Scores(request);

        // R = 1ᵀ|W2||W1|1: ∂R/∂W1[i,j] = (1ᵀ|W2|)[i], ∂R/∂W2[k,i] = (|W1|1)[i].
        var expected = new Dictionary<string, Tensor>
        {
            ["a.weight"] = w2.sum(dim: 0).unsqueeze(1) * w1,
            ["b.weight"] = w1.sum(dim: 1).unsqueeze(0) * w2,
        };
        CriterionFixtures.AssertClose(expected, scores, 1e-12);
    }

    [Fact]
    public void GivenLeNet5_WhenPruningTo90PercentIn100Rounds_ThenTheTargetIsMetAndTheModelIsUnchanged()
    {
        using var scope = torch.NewDisposeScope();
        torch.manual_seed(0);
        var model = ModelRegistry.Create(new ModelSpec("lenet5", 1, 28, 28, 10));
        model.train();
        var before = CriterionFixtures.Snapshot(model);
        var request = CriterionFixtures.Request(model, 0.9, [], new InputShape(1, 28, 28, 10));

        var clock = Stopwatch.StartNew();
        using var mask = new SynFlowCriterion().Prune(request);
        output.WriteLine($"SynFlow, 100 rounds, lenet5: {clock.Elapsed.TotalSeconds:F2} s");

        long expectedNonzero = (long)Math.Round(0.1 * mask.Total);
        Assert.InRange(mask.Nonzero, expectedNonzero - request.Prunable.Count, expectedNonzero + request.Prunable.Count);
        Assert.Empty(mask.CollapsedLayers);
        CriterionFixtures.AssertBitIdentical(model, before);
        Assert.True(model.training);
    }
}
