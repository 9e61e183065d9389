// A Conv2d layer (ReLU fused) as a sparse weight times the unfolded input
// (im2col; Chellapilla et al. 2006): row (c, ki, kj) of the unfolded matrix
// holds, for each output position (oh, ow), the batch row of input pixel
// (c, oh·s − p + ki, ow·s − p + kj), zeros where that falls in the padding.
// With the batch innermost each copy is one contiguous run, and the product
// (out × K)·(K × OH·OW·B) lands directly in the (out, OH, OW, B) layout.
using System.Runtime.CompilerServices;

namespace SparseLab.Inference;

internal sealed class ConvStep : IStep
{
    private readonly WeightedLayer _layer;
    private readonly bool _relu;
    private readonly int _c, _h, _w, _kh, _kw, _sh, _sw, _ph, _pw, _oh, _ow;

    public ConvStep(LayerSpec spec, WeightedLayer layer, int channels, int height, int width)
    {
        (_layer, _relu, _c, _h, _w) = (layer, spec.Relu, channels, height, width);
        (_kh, _kw, _sh, _sw, _ph, _pw) = (spec.Kernel![0], spec.Kernel[1], spec.Stride![0], spec.Stride[1], spec.Padding![0], spec.Padding[1]);
        _oh = (_h + 2 * _ph - _kh) / _sh + 1;
        _ow = (_w + 2 * _pw - _kw) / _sw + 1;
    }

    public int OutHeight => _oh;
    public int OutWidth => _ow;
    public long OutSize => (long)_layer.Weight.Rows * _oh * _ow;
    public long ScratchSize => (long)_c * _kh * _kw * _oh * _ow;

    public void Run(ReadOnlySpan<float> x, int batch, Span<float> y, Span<float> scratch, int threads)
    {
        int n = _oh * _ow * batch;   // columns of the unfolded matrix
        Unfold(x, batch, scratch[..(int)(ScratchSize * batch)]);
        _layer.Weight.Multiply(scratch, n, y, _layer.Bias, _relu, threads);
    }

    // Fully optimized from the first call: tiering would run the first calls of a hot loop unoptimized.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void Unfold(ReadOnlySpan<float> x, int batch, Span<float> u)   // x (C, H, W, B) → u (C·kh·kw, OH, OW, B)
    {
        int n = _oh * _ow * batch;
        for (int c = 0; c < _c; c++)
            for (int ki = 0; ki < _kh; ki++)
                for (int kj = 0; kj < _kw; kj++)
                {
                    var row = u.Slice(((c * _kh + ki) * _kw + kj) * n, n);
                    for (int oh = 0; oh < _oh; oh++)
                    {
                        int ih = oh * _sh - _ph + ki;
                        var dst = row.Slice(oh * _ow * batch, _ow * batch);
                        if ((uint)ih >= (uint)_h) { dst.Clear(); continue; }
                        for (int ow = 0; ow < _ow; ow++)
                        {
                            int iw = ow * _sw - _pw + kj;
                            var cell = dst.Slice(ow * batch, batch);
                            if ((uint)iw >= (uint)_w) cell.Clear();
                            else x.Slice(((c * _h + ih) * _w + iw) * batch, batch).CopyTo(cell);
                        }
                    }
                }
    }
}
