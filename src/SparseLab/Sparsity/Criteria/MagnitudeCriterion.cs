// Magnitude pruning: keep the weights of largest |w| (Han et al. 2015,
// "Learning both Weights and Connections for Efficient Neural Networks";
// Frankle & Carbin 2019 use it globally for lottery tickets). METHODS.md §2.
using TorchSharp;

namespace SparseLab.Sparsity.Criteria;

public sealed class MagnitudeCriterion : IPruningCriterion
{
    public string Name => "magnitude";
    public string Description => "|w|: keeps the largest weights";
    public bool NeedsData => false;

    public Mask Prune(PruningRequest request)
    {
        using var scope = torch.NewDisposeScope();
        using var noGrad = torch.no_grad();
        var scores = request.Prunable.ToDictionary(p => p.Name, p => p.Weight.detach().abs(), StringComparer.Ordinal);
        return request.Budget.Select(scores, request.Sparsity, request.Current);
    }
}
