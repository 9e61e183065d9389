// The buffer sizes every product checks before it touches a pointer.
namespace SparseLab.Inference;

internal static class KernelChecks
{
    public static void Shapes(ISparseWeight w, ReadOnlySpan<float> x, int n, Span<float> y, ReadOnlySpan<float> bias)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(n, 1);
        if (x.Length < (long)w.Cols * n) throw new ArgumentException($"x has {x.Length} values; {w.Cols} inputs x {n} columns need {(long)w.Cols * n}", nameof(x));
        if (y.Length < (long)w.Rows * n) throw new ArgumentException($"y has {y.Length} values; {w.Rows} outputs x {n} columns need {(long)w.Rows * n}", nameof(y));
        if (!bias.IsEmpty && bias.Length != w.Rows) throw new ArgumentException($"bias has {bias.Length} values; the layer has {w.Rows} outputs", nameof(bias));
    }
}
