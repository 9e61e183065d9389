// A Linear layer (with its ReLU fused): y (out × B) = act(W x + b), x (in × B).
namespace SparseLab.Inference;

internal sealed class LinearStep(WeightedLayer layer, bool relu) : IStep
{
    public long OutSize => layer.Weight.Rows;
    public long ScratchSize => 0;

    public void Run(ReadOnlySpan<float> x, int batch, Span<float> y, Span<float> scratch, int threads) =>
        layer.Weight.Multiply(x, batch, y, layer.Bias, relu, threads);
}
