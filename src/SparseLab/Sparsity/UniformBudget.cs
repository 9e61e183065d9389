// The uniform distribution (METHODS.md §2): every layer keeps round((1 − s)·n_l)
// of its own highest scores. With --layer-sparsity overrides the other layers
// share one sparsity s' chosen so the total still equals s.
using static TorchSharp.torch;

namespace SparseLab.Sparsity;

public sealed class UniformBudget(IReadOnlyDictionary<string, double>? layerSparsity = null) : ISparsityBudget
{
    public string Name => "uniform";

    public Mask Select(IReadOnlyDictionary<string, Tensor> scores, double sparsity, Mask? current = null)
    {
        ArgumentNullException.ThrowIfNull(scores);
        var counts = KeepCounts([.. scores.Select(kv => (kv.Key, kv.Value.shape))], sparsity);
        return TopKSelection.PerLayer(scores, counts, current);
    }

    public IReadOnlyDictionary<string, long> KeepCounts(IReadOnlyList<(string Name, long[] Shape)> layers, double sparsity)
    {
        ArgumentNullException.ThrowIfNull(layers);
        BudgetTarget.CheckSparsity(sparsity);
        var fixedLayers = BudgetTarget.ResolveOverrides(layerSparsity, [.. layers.Select(l => l.Name)]);
        double remaining = BudgetTarget.RemainingKeep(layers, sparsity, fixedLayers);
        double rest = layers.Where(l => !fixedLayers.ContainsKey(l.Name)).Sum(l => (double)BudgetTarget.Count(l.Shape));
        // s' = 1 − T_rest / N_rest; exactly s when nothing is overridden.
        double shared = fixedLayers.Count == 0 ? sparsity : rest == 0 ? 0 : 1 - remaining / rest;
        return layers.ToDictionary(
            l => l.Name,
            l => BudgetTarget.Keep(BudgetTarget.Count(l.Shape), fixedLayers.TryGetValue(l.Name, out var s) ? s : shared),
            StringComparer.Ordinal);
    }
}
