// Magnitude pruning: keep the weights of largest |w| (Han et al. 2015,
// "Learning both Weights and Connections for Efficient Neural Networks";
// Frankle & Carbin 2019 use it globally for lottery tickets). METHODS.md §2.
using TorchSharp;
using static TorchSharp.torch;

namespace SparseLab.Sparsity.Criteria;

public sealed class MagnitudeCriterion : ScoreCriterion
{
    public override string Name => "magnitude";
    public override string Description => "|w|: keeps the largest weights";
    public override bool NeedsData => false;

    protected override Dictionary<string, Tensor> ComputeScores(PruningRequest request)
    {
        using var noGrad = torch.no_grad();
        return request.Prunable.ToDictionary(p => p.Name, p => p.Weight.detach().abs(), StringComparer.Ordinal);
    }
}
