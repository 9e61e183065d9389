// A sparse model held in memory: its metadata and, per weighted layer, the
// compressed weight and the dense bias.
namespace SparseLab.Inference;

/// <summary>A Conv2d or Linear layer's weight (out × in·kh·kw) and bias (out).</summary>
public sealed record WeightedLayer(ISparseWeight Weight, float[] Bias);

public sealed record SparseModel(SparseModelInfo Info, IReadOnlyDictionary<string, WeightedLayer> Layers)
{
    public long StoredWeights => Layers.Values.Sum(l => l.Weight.Stored);
    public long DenseWeights => Layers.Values.Sum(l => (long)l.Weight.Rows * l.Weight.Cols);

    /// <summary>
    /// Refuses weights that cannot compute: a NaN or ±Inf in a layer's weight or bias is an error naming the file and the
    /// layer, instead of a model that predicts garbage (SavedRun.RequireFinite is the checkpoint's side).
    /// </summary>
    public void RequireFinite(string file)
    {
        foreach (var (name, layer) in Layers)
            foreach (var (part, values) in new[] { ("weight", layer.Weight.ToDense()), ("bias", layer.Bias) })
            {
                long bad = values.LongCount(v => !float.IsFinite(v));
                if (bad > 0)
                    throw new Foundations.SparseLabException($"the model file '{file}': {name}.{part} holds {bad:N0} NaN or infinite value{(bad == 1 ? "" : "s")} " +
                                                             $"of {values.Length:N0}; a model that cannot compute is refused (was it exported from a run that diverged?)");
            }
    }
}
