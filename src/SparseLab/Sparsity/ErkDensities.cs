// Erdős–Rényi-Kernel layer densities, Evci et al. 2020, "Rigging the Lottery"
// (RigL), §3 and the RigL repository's sparse_utils.get_sparsities (power
// scale 1): density_l = ε·(Σ dims_l)/(Π dims_l), dims = (out, in, kh, kw) for a
// conv and (out, in) for a linear layer; ε solves Σ_l density_l·n_l = (1 − s)·Σ_l n_l.
// A layer whose density would exceed 1 becomes dense and ε is solved again for
// the rest, until none exceeds 1 (METHODS.md §2).
namespace SparseLab.Sparsity;

public static class ErkDensities
{
    /// <summary>Density in [0, 1] per layer; fixed layers get 1 − their sparsity.</summary>
    /// <exception cref="Foundations.InvalidOptionException">Sparsity out of [0, 1), or overrides that make the target impossible.</exception>
    public static IReadOnlyDictionary<string, double> Compute(
        IReadOnlyList<(string Name, long[] Shape)> layers, double sparsity, IReadOnlyDictionary<string, double>? fixedSparsity = null)
    {
        ArgumentNullException.ThrowIfNull(layers);
        BudgetTarget.CheckSparsity(sparsity);
        var fixedLayers = BudgetTarget.ResolveOverrides(fixedSparsity, [.. layers.Select(l => l.Name)]);
        double remaining = BudgetTarget.RemainingKeep(layers, sparsity, fixedLayers);

        // ER(K) shape factor Σ dims / Π dims of every layer ε is solved over.
        var raw = layers
            .Where(l => !fixedLayers.ContainsKey(l.Name) && BudgetTarget.Count(l.Shape) > 0)
            .ToDictionary(l => l.Name, l => (Raw: l.Shape.Sum(d => (double)d) / BudgetTarget.Count(l.Shape), Count: (double)BudgetTarget.Count(l.Shape)));
        var dense = new HashSet<string>(StringComparer.Ordinal);
        double epsilon = 0;
        while (raw.Count > dense.Count)
        {
            var free = raw.Where(kv => !dense.Contains(kv.Key)).ToList();
            double target = remaining - raw.Where(kv => dense.Contains(kv.Key)).Sum(kv => kv.Value.Count);
            double divisor = free.Sum(kv => kv.Value.Raw * kv.Value.Count);
            epsilon = target / divisor;
            double maxRaw = free.Max(kv => kv.Value.Raw);
            if (epsilon * maxRaw <= 1) break;
            // As in RigL: densify the layer(s) with the largest factor, then solve again.
            // ε only grows when a saturated layer leaves, so no densified layer ever returns.
            foreach (var kv in free.Where(kv => kv.Value.Raw == maxRaw)) dense.Add(kv.Key);
        }

        var result = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var (name, _) in layers)
        {
            if (fixedLayers.TryGetValue(name, out var s)) result[name] = 1 - s;
            else if (!raw.TryGetValue(name, out var r) || dense.Contains(name)) result[name] = 1;
            else result[name] = Math.Clamp(epsilon * r.Raw, 0, 1);
        }
        return result;
    }
}
