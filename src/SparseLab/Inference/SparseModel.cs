// A sparse model held in memory: its metadata and, per weighted layer, the
// compressed weight and the dense bias.
namespace SparseLab.Inference;

/// <summary>A Conv2d or Linear layer's weight (out × in·kh·kw) and bias (out).</summary>
public sealed record WeightedLayer(ISparseWeight Weight, float[] Bias);

public sealed record SparseModel(SparseModelInfo Info, IReadOnlyDictionary<string, WeightedLayer> Layers)
{
    public long StoredWeights => Layers.Values.Sum(l => l.Weight.Stored);
    public long DenseWeights => Layers.Values.Sum(l => (long)l.Weight.Rows * l.Weight.Cols);
}
