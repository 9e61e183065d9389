// A layer's weight (rows = outputs, cols = inputs) in a compressed layout that
// multiplies activations laid out inputs × batch, batch contiguous.
namespace SparseLab.Inference;

public interface ISparseWeight
{
    int Rows { get; }
    int Cols { get; }
    /// <summary>Stored weights (zeros inside an N:M group included): the multiply-adds per batch column.</summary>
    long Stored { get; }
    /// <summary>The layout's name in a model file: csr, nm or dense.</summary>
    string Layout { get; }

    /// <summary>y (Rows × n) = act(W · x + bias) with x (Cols × n); n is contiguous in both; act is ReLU or identity.</summary>
    void Multiply(ReadOnlySpan<float> x, int n, Span<float> y, ReadOnlySpan<float> bias, bool relu, int threads);

    /// <summary>The weight as a dense row-major (Rows × Cols) array, for checks and the libtorch reference.</summary>
    float[] ToDense();
}
