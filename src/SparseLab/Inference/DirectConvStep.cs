// A stride-1 Conv2d layer (ReLU fused) without unfolding the input: on the
// zero-padded input xp (C, H + 2p, W + 2p, B), tap (c, ki, kj) of output
// position (oh, ow) reads xp[c, oh + ki, ow + kj, :], so over the padded output
// grid (oh, ow' < W + 2p) each tap's inputs form one contiguous run starting
// at ((c · Hp + ki) · Wp + kj) · B. The layer is then one CSR product whose
// x rows are those overlapping runs (CsrKernel.MultiplyOverlapping), with
// the weight's columns renumbered to pixel offsets; the grid columns past the
// output width are computed and dropped. The im2col of ConvStep writes k²
// copies of the input; this writes one (the padding) and reads it k² times
// from cache (the direct sparse convolution of Park et al. 2017, "Faster
// CNNs with Direct Sparse Convolutions", in the batch-innermost layout).
namespace SparseLab.Inference;

internal sealed class DirectConvStep : IStep
{
    private readonly int _c, _h, _w, _p, _hp, _wp, _oh, _ow, _rows;
    private readonly bool _relu;
    private readonly float[] _bias;
    private readonly int[] _rowPtr, _pixel;
    private readonly float[] _values;

    /// <summary>Whether this layer can run here: a CSR weight, stride 1 and the same padding on both axes.</summary>
    public static bool Supports(LayerSpec spec, WeightedLayer layer) =>
        layer.Weight is CsrMatrix && spec.Stride!.All(s => s == 1) && spec.Padding![0] == spec.Padding[1];

    public DirectConvStep(LayerSpec spec, WeightedLayer layer, int channels, int height, int width)
    {
        var csr = (CsrMatrix)layer.Weight;
        int kh = spec.Kernel![0], kw = spec.Kernel[1];
        (_c, _h, _w, _p, _relu, _bias, _rows) = (channels, height, width, spec.Padding![0], spec.Relu, layer.Bias, csr.Rows);
        (_hp, _wp) = (height + 2 * _p, width + 2 * _p);
        (_oh, _ow) = (_hp - kh + 1, _wp - kw + 1);
        (_rowPtr, _values) = (csr.RowPtr, csr.Values);
        _pixel = new int[csr.ColIdx.Length];
        for (int k = 0; k < _pixel.Length; k++)
        {
            int j = csr.ColIdx[k], c = j / (kh * kw), ki = j / kw % kh, kj = j % kw;   // the model file's column order (c, ki, kj)
            _pixel[k] = (c * _hp + ki) * _wp + kj;
        }
    }

    public int OutHeight => _oh;
    public int OutWidth => _ow;
    public long OutSize => (long)_rows * _oh * _ow;
    private int Pixels => _c * _hp * _wp;
    private int Grid => _oh * _wp;                          // output positions per channel, padded columns included
    private long PaddedSize => Pixels - 1 + Grid;           // per example: the last run may reach past the last pixel
    public long ScratchSize => PaddedSize + (long)_rows * Grid;

    public void Run(ReadOnlySpan<float> x, int batch, Span<float> y, Span<float> scratch, int threads)
    {
        var padded = scratch[..(int)(PaddedSize * batch)];
        var grid = scratch.Slice((int)(PaddedSize * batch), _rows * Grid * batch);
        Pad(x, batch, padded);
        CsrKernel.MultiplyOverlapping(_rows, Pixels, _rowPtr, _pixel, _values, padded, batch, Grid * batch, grid, _bias, _relu, threads);
        int run = _ow * batch;
        for (int o = 0; o < _rows; o++)
            for (int oh = 0; oh < _oh; oh++)
                grid.Slice(((o * _oh + oh) * _wp) * batch, run).CopyTo(y.Slice((o * _oh + oh) * run, run));
    }

    // x (C, H, W, B) → xp (C, Hp, Wp, B): each value written once, the border and the tail past the last pixel zeroed.
    private void Pad(ReadOnlySpan<float> x, int batch, Span<float> xp)
    {
        int row = _w * batch, paddedRow = _wp * batch, edge = _p * batch;
        for (int c = 0; c < _c; c++)
        {
            var plane = xp.Slice(c * _hp * paddedRow, _hp * paddedRow);
            plane[..(_p * paddedRow)].Clear();
            plane[((_p + _h) * paddedRow)..].Clear();
            for (int ih = 0; ih < _h; ih++)
            {
                var dst = plane.Slice((ih + _p) * paddedRow, paddedRow);
                dst[..edge].Clear();
                x.Slice((c * _h + ih) * row, row).CopyTo(dst[edge..]);
                dst[(edge + row)..].Clear();
            }
        }
        xp[(Pixels * batch)..].Clear();
    }
}
