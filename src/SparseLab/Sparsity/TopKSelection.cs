// The one selection primitive every budget uses: keep exactly the k highest
// scores of a tensor (torch.topk, so the count is exact and ties are broken
// arbitrarily), never keeping a position a current mask has already removed.
using SparseLab.Foundations;
using TorchSharp;
using static TorchSharp.torch;

namespace SparseLab.Sparsity;

internal static class TopKSelection
{
    /// <summary>
    /// A float32 0/1 tensor of the scores' shape and device with min(k, survivors)
    /// ones at the highest scores; NaN counts as −∞; where <paramref name="current"/>
    /// is 0 the result is 0.
    /// </summary>
    public static Tensor Keep(Tensor scores, Tensor? current, long k)
    {
        var flat = scores.detach().flatten();                                   // (n)
        flat = flat.masked_fill(flat.isnan(), double.NegativeInfinity);
        var keep = zeros(flat.shape[0], dtype: ScalarType.Float32, device: flat.device);
        if (current is null)
        {
            k = Math.Clamp(k, 0, flat.shape[0]);
            if (k > 0) keep.index_fill_(0, flat.topk((int)k).indexes, 1);
            return keep.view_as(scores);
        }

        // Select among survivors only, so a −∞ score that survives still beats a removed position.
        var survivors = current.to(flat.device).flatten().ne(0).nonzero().flatten();   // (m) positions
        k = Math.Clamp(k, 0, survivors.shape[0]);
        if (k > 0)
        {
            var best = flat.index_select(0, survivors).topk((int)k).indexes;    // (k) into survivors
            keep.index_fill_(0, survivors.index_select(0, best), 1);
        }
        return keep.view_as(scores);
    }

    /// <summary>The mask that keeps <paramref name="counts"/>[layer] highest scores inside each layer.</summary>
    public static Mask PerLayer(IReadOnlyDictionary<string, Tensor> scores, IReadOnlyDictionary<string, long> counts, Mask? current)
    {
        using var scope = torch.NewDisposeScope();
        var kept = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        foreach (var (name, score) in scores)
            kept[name] = Keep(score, CurrentOf(current, name, score), counts[name]);
        return new Mask(kept);   // the mask detaches its own copies from the scope
    }

    /// <summary>The current mask's layer for these scores, or null where it has none.</summary>
    public static Tensor? CurrentOf(Mask? current, string name, Tensor scores)
    {
        if (current is null || !current.Contains(name)) return null;
        var m = current[name];
        if (!m.shape.SequenceEqual(scores.shape))
            throw new SparseLabException(
                $"the current mask's layer '{name}' has shape ({string.Join(", ", m.shape)}) but its scores have shape ({string.Join(", ", scores.shape)})");
        return m;
    }
}
