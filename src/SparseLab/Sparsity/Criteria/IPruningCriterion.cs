// A pruning criterion: scores every prunable weight (higher = keep) and lets
// the request's budget turn the scores into a mask (METHODS.md §2).
namespace SparseLab.Sparsity.Criteria;

public interface IPruningCriterion
{
    string Name { get; }

    /// <summary>One line: what it scores (for the README table).</summary>
    string Description { get; }

    bool NeedsData { get; }

    /// <summary>
    /// The mask at the request's sparsity. Never changes the model's weights,
    /// BatchNorm statistics, gradients or training mode.
    /// </summary>
    Mask Prune(PruningRequest request);
}
