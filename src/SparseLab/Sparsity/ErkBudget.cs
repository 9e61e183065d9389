// The Erdős–Rényi-Kernel distribution (Evci et al. 2020, RigL; METHODS.md §2):
// layer l keeps round(d_l·n_l) of its own highest scores, d_l from
// ErkDensities. --layer-sparsity overrides keep round((1 − s_l)·n_l) and ε is
// solved over the other layers.
using static TorchSharp.torch;

namespace SparseLab.Sparsity;

public sealed class ErkBudget(IReadOnlyDictionary<string, double>? layerSparsity = null) : ISparsityBudget
{
    public string Name => "erk";

    public Mask Select(IReadOnlyDictionary<string, Tensor> scores, double sparsity, Mask? current = null)
    {
        ArgumentNullException.ThrowIfNull(scores);
        var counts = KeepCounts([.. scores.Select(kv => (kv.Key, kv.Value.shape))], sparsity);
        return TopKSelection.PerLayer(scores, counts, current);
    }

    public IReadOnlyDictionary<string, long> KeepCounts(IReadOnlyList<(string Name, long[] Shape)> layers, double sparsity)
    {
        var densities = ErkDensities.Compute(layers, sparsity, layerSparsity);
        return layers.ToDictionary(
            l => l.Name,
            l => BudgetTarget.Keep(BudgetTarget.Count(l.Shape), 1 - densities[l.Name]),
            StringComparer.Ordinal);
    }
}
