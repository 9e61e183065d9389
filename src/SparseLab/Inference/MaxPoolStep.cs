// Max pooling (no padding; floor mode as PyTorch's default, or ceil mode,
// where the last window may hang over the edge and is clipped) on (C, H, W, B):
// each output batch row is the elementwise max of the window's input rows.
using System.Numerics;
using System.Runtime.CompilerServices;

namespace SparseLab.Inference;

internal sealed class MaxPoolStep(int channels, int height, int width, int kh, int kw, int sh, int sw, bool ceil = false) : IStep
{
    public int OutHeight { get; } = ceil ? (int)ModelChecks.CeilOutSize(height, kh, sh) : (height - kh) / sh + 1;
    public int OutWidth { get; } = ceil ? (int)ModelChecks.CeilOutSize(width, kw, sw) : (width - kw) / sw + 1;
    public long OutSize => (long)channels * OutHeight * OutWidth;
    public long ScratchSize => 0;

    // Fully optimized from the first call: tiering would run the first calls of a hot loop unoptimized.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Run(ReadOnlySpan<float> x, int batch, Span<float> y, Span<float> scratch, int threads)
    {
        for (int c = 0; c < channels; c++)
            for (int oh = 0; oh < OutHeight; oh++)
                for (int ow = 0; ow < OutWidth; ow++)
                {
                    var dst = y.Slice(((c * OutHeight + oh) * OutWidth + ow) * batch, batch);
                    x.Slice(((c * height + oh * sh) * width + ow * sw) * batch, batch).CopyTo(dst);
                    for (int i = 0; i < kh && oh * sh + i < height; i++)
                        for (int j = 0; j < kw && ow * sw + j < width; j++)
                            if (i + j > 0) Max(dst, x.Slice(((c * height + oh * sh + i) * width + ow * sw + j) * batch, batch));
                }
    }

    private static void Max(Span<float> acc, ReadOnlySpan<float> v)
    {
        int t = 0;
        for (; t + Vector<float>.Count <= acc.Length; t += Vector<float>.Count)
            Vector.Max(new Vector<float>(acc[t..]), new Vector<float>(v[t..])).CopyTo(acc[t..]);
        for (; t < acc.Length; t++) acc[t] = MathF.Max(acc[t], v[t]);
    }
}
