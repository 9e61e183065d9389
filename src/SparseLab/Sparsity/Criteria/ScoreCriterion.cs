// The common shape of a score-based criterion: score every prunable weight
// (higher is kept), then let the budget turn the scores into a mask.
using TorchSharp;
using static TorchSharp.torch;

namespace SparseLab.Sparsity.Criteria;

public abstract class ScoreCriterion : IPruningCriterion
{
    public abstract string Name { get; }
    public abstract string Description { get; }
    public abstract bool NeedsData { get; }

    public Mask Prune(PruningRequest request)
    {
        using var scope = torch.NewDisposeScope();
        return request.Budget.Select(ComputeScores(request), request.Sparsity, request.Current);
    }

    /// <summary>The keep-scores by layer name; the caller owns the tensors.</summary>
    public IReadOnlyDictionary<string, Tensor> Scores(PruningRequest request)
    {
        using var scope = torch.NewDisposeScope();
        return CriterionSupport.Escape(ComputeScores(request));
    }

    /// <summary>Scores inside the caller's dispose scope; must leave the model as it found it.</summary>
    protected abstract Dictionary<string, Tensor> ComputeScores(PruningRequest request);
}
