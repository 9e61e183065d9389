// Per-example Fisher scores (METHODS §6): ‖∇ log p(y|x_n)‖² over the whole model, true (ŷ ~ p_θ, averaged over draws)
// and empirical (dataset label), and the last layer's closed forms; Index is the example's row in the training set.
namespace SparseLab.Information;

public sealed record ExampleFisher(long[] Index, long[] Label, double[] True, double[] Empirical, double[] LastLayerTrue, double[] LastLayerEmpirical);
