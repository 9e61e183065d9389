// One pruning decision: a criterion scores the weights, a budget turns the
// scores into a mask with the target sparsity, and layer collapse is reported.
using SparseLab.Data;
using SparseLab.Foundations;
using SparseLab.Sparsity.Criteria;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace SparseLab.Sparsity;

public sealed record PruningOptions(
    double Sparsity, string Criterion, string Budget, string? LayerSparsity, int ScoreBatches, long Seed, bool ForbidCollapse)
{
    public static PruningOptions From(SparsityConfig c, long seed) =>
        new(c.Target, c.Criterion, c.Budget, c.LayerSparsity, c.ScoreBatches, seed, c.ForbidCollapse);

    /// <summary>Checks the names before any work; returns the criterion and budget.</summary>
    public (IPruningCriterion Criterion, ISparsityBudget Budget) Resolve()
    {
        Check.Fraction(Sparsity, nameof(SparsityConfig.Target));
        var criterion = CriterionRegistry.Create(Criterion);
        var overrides = LayerSparsity is null ? null : BudgetRegistry.ParseOverrides(LayerSparsity);
        return (criterion, BudgetRegistry.Create(Budget, overrides));
    }
}

public static class Pruning
{
    /// <summary>Prunes `prunable` of `model` (weights untouched); warnings go to `warn`.</summary>
    public static Mask Run(PruningOptions options, nn.Module<Tensor, Tensor> model, IReadOnlyList<(string Name, Parameter Weight)> prunable,
        Func<IEnumerable<(Tensor Input, Tensor Labels)>> scoringBatches, InputShape input, Action<string> warn, Mask? current = null,
        Models.ModelSpec? spec = null)
    {
        var (criterion, budget) = options.Resolve();
        var mask = criterion.Prune(new PruningRequest(model, prunable, options.Sparsity, budget, scoringBatches, input, options.Seed, current, spec));
        var collapsed = mask.CollapsedLayers;
        if (collapsed.Count > 0)
        {
            string message = $"layer collapse: {string.Join(", ", collapsed)} kept no weights at sparsity {options.Sparsity} ({options.Criterion}, {options.Budget})";
            if (options.ForbidCollapse)
            {
                mask.Dispose();
                throw new ConfigError(message + $"; {ConfigError.Field(nameof(SparsityConfig.ForbidCollapse))} stops here. Try {ConfigError.Field(nameof(SparsityConfig.Budget))} erk or uniform, or another criterion");
            }
            warn("warning: " + message + "; the network cannot pass signal through it");
        }
        return mask;
    }
}
