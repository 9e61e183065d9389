// Parameter and forward-FLOPs cost of one prunable layer (Conv2d or Linear),
// dense and with its zero weights skipped; see SparsityAccounting for how each
// number is counted.
namespace SparseLab.Sparsity;

/// <param name="Name">State-dict weight name, e.g. "conv1.weight".</param>
/// <param name="Kind">"conv" or "linear".</param>
/// <param name="Shape">Weight shape: (out, in, kh, kw) or (out, in).</param>
/// <param name="Params">Weights in the layer (bias not included).</param>
/// <param name="Nonzero">Weights that are exactly nonzero in the tensor now.</param>
/// <param name="FlopsDense">Multiply-accumulates of one example's forward pass, bias adds included.</param>
/// <param name="FlopsSparse">The same with zero weights skipped.</param>
public sealed record LayerCost(string Name, string Kind, long[] Shape, long Params, long Nonzero, long FlopsDense, long FlopsSparse);
