// A layer kept dense (too full for a sparse layout to pay): every entry is
// stored, and the product runs through the CSR kernel with full rows, whose
// register-tiled loop is the same as a dense one plus one index load.
namespace SparseLab.Inference;

public sealed class DenseWeight : ISparseWeight
{
    private readonly CsrMatrix _all;

    public DenseWeight(ReadOnlySpan<float> dense, int rows, int cols) => _all = CsrMatrix.FromDense(dense, rows, cols, keepZeros: true);

    public int Rows => _all.Rows;
    public int Cols => _all.Cols;
    public long Stored => _all.Stored;
    public string Layout => "dense";

    public void Multiply(ReadOnlySpan<float> x, int n, Span<float> y, ReadOnlySpan<float> bias, bool relu, int threads) =>
        _all.Multiply(x, n, y, bias, relu, threads);

    public float[] ToDense() => _all.ToDense();
}
