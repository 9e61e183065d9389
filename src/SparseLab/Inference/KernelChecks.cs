// The buffer sizes every product checks before it touches a pointer.
namespace SparseLab.Inference;

internal static class KernelChecks
{
    public static void Shapes(ISparseWeight w, ReadOnlySpan<float> x, int n, Span<float> y, ReadOnlySpan<float> bias) =>
        Shapes(w.Rows, w.Cols, x, n, y, bias);

    public static void Shapes(int rows, int cols, ReadOnlySpan<float> x, int n, Span<float> y, ReadOnlySpan<float> bias)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(n, 1);
        if (x.Length < (long)cols * n) throw new ArgumentException($"x has {x.Length} values; {cols} inputs x {n} columns need {(long)cols * n}", nameof(x));
        Output(rows, n, y, bias);
    }

    /// <summary>y holds rows × n values and the bias, if any, one per row.</summary>
    public static void Output(int rows, int n, Span<float> y, ReadOnlySpan<float> bias)
    {
        if (y.Length < (long)rows * n) throw new ArgumentException($"y has {y.Length} values; {rows} outputs x {n} columns need {(long)rows * n}", nameof(y));
        if (!bias.IsEmpty && bias.Length != rows) throw new ArgumentException($"bias has {bias.Length} values; the layer has {rows} outputs", nameof(bias));
    }
}
