// The global distribution (METHODS.md §2): one threshold over all prunable
// weights, taken as torch.topk over the concatenated flattened scores so that
// exactly round((1 − s)·N) weights are kept (ties broken arbitrarily). With
// --layer-sparsity overrides the fixed layers keep their own top
// round((1 − s_l)·n_l) and the one threshold runs over the other layers only.
using TorchSharp;
using static TorchSharp.torch;

namespace SparseLab.Sparsity;

public sealed class GlobalBudget(IReadOnlyDictionary<string, double>? layerSparsity = null) : ISparsityBudget
{
    public string Name => "global";

    public Mask Select(IReadOnlyDictionary<string, Tensor> scores, double sparsity, Mask? current = null)
    {
        ArgumentNullException.ThrowIfNull(scores);
        BudgetTarget.CheckSparsity(sparsity);
        var layers = scores.Select(kv => (kv.Key, kv.Value.shape)).ToList();
        var fixedLayers = BudgetTarget.ResolveOverrides(layerSparsity, [.. scores.Keys]);
        long restKeep = BudgetTarget.Round(BudgetTarget.RemainingKeep(layers, sparsity, fixedLayers));

        using var scope = torch.NewDisposeScope();
        var kept = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        foreach (var (name, s) in fixedLayers)
            kept[name] = TopKSelection.Keep(scores[name], TopKSelection.CurrentOf(current, name, scores[name]), BudgetTarget.Keep(scores[name].numel(), s));

        var free = scores.Where(kv => !fixedLayers.ContainsKey(kv.Key)).ToList();
        if (free.Count > 0)
        {
            var device = free[0].Value.device;
            var dtype = free.Any(kv => kv.Value.dtype == ScalarType.Float64) ? ScalarType.Float64 : ScalarType.Float32;
            var all = torch.cat(free.Select(kv => kv.Value.detach().to(dtype, device).flatten()).ToList(), 0);   // (N_rest)
            Tensor? allCurrent = null;
            if (current is not null && free.Any(kv => current.Contains(kv.Key)))
                allCurrent = torch.cat(free.Select(kv =>
                    (TopKSelection.CurrentOf(current, kv.Key, kv.Value)?.to(device) ?? torch.ones_like(kv.Value, dtype: ScalarType.Float32, device: device)).flatten()).ToList(), 0);
            var keep = TopKSelection.Keep(all, allCurrent, restKeep);
            var parts = keep.split([.. free.Select(kv => kv.Value.numel())]);
            for (int i = 0; i < free.Count; i++) kept[free[i].Key] = parts[i].view_as(free[i].Value);
        }

        // Same layer order as the scores.
        return new Mask(scores.Keys.ToDictionary(n => n, n => kept[n], StringComparer.Ordinal));
    }

    public IReadOnlyDictionary<string, long> KeepCounts(IReadOnlyList<(string Name, long[] Shape)> layers, double sparsity) =>
        throw new NotSupportedException("the global budget's per-layer counts depend on the scores; call Select");
}
