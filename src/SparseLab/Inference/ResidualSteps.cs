// The pieces of a CIFAR ResNet block (He et al. 2016) on (C, H, W, B):
// SaveStep keeps the block's input, the block's two convolutions run as
// ordinary steps (BatchNorm folded in), and AddShortcutStep adds the option-A
// shortcut — the saved input subsampled by the stride, its channels padded with
// zeros (low/high split as Models/ResNetCifar.cs does) — then applies ReLU.
// AvgPoolStep is the global average pool before the classifier.
using System.Numerics;

namespace SparseLab.Inference;

internal sealed class SaveStep(long size) : IStep
{
    private float[] _saved = [];

    public long OutSize => size;
    public long ScratchSize => 0;
    public ReadOnlySpan<float> Saved(int batch) => _saved.AsSpan(0, (int)(size * batch));

    public void Run(ReadOnlySpan<float> x, int batch, Span<float> y, Span<float> scratch, int threads)
    {
        if (_saved.Length < size * batch) _saved = new float[size * batch];
        x.CopyTo(_saved);
        x.CopyTo(y);
    }
}

internal sealed class AddShortcutStep(SaveStep saved, int inChannels, int outChannels, int inHeight, int inWidth, int stride, int height, int width) : IStep
{
    private readonly int _padLow = (outChannels - inChannels) / 2;

    public long OutSize => (long)outChannels * height * width;
    public long ScratchSize => 0;

    public void Run(ReadOnlySpan<float> x, int batch, Span<float> y, Span<float> scratch, int threads)
    {
        var s = saved.Saved(batch);
        for (int c = 0; c < outChannels; c++)
        {
            int sc = c - _padLow;   // the saved channel this one adds, or none (zero padding)
            for (int h = 0; h < height; h++)
                for (int w = 0; w < width; w++)
                {
                    int at = ((c * height + h) * width + w) * batch;
                    var dst = y.Slice(at, batch);
                    var src = x.Slice(at, batch);
                    if ((uint)sc < (uint)inChannels)
                        AddRelu(src, s.Slice(((sc * inHeight + h * stride) * inWidth + w * stride) * batch, batch), dst);
                    else
                        AddRelu(src, default, dst);
                }
        }
    }

    private static void AddRelu(ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> dst)
    {
        int t = 0, n = dst.Length, v = Vector<float>.Count;
        if (b.IsEmpty)
        {
            for (; t + v <= n; t += v) Vector.Max(new Vector<float>(a[t..]), Vector<float>.Zero).CopyTo(dst[t..]);
            for (; t < n; t++) dst[t] = MathF.Max(a[t], 0);
            return;
        }
        for (; t + v <= n; t += v) Vector.Max(new Vector<float>(a[t..]) + new Vector<float>(b[t..]), Vector<float>.Zero).CopyTo(dst[t..]);
        for (; t < n; t++) dst[t] = MathF.Max(a[t] + b[t], 0);
    }
}

internal sealed class AvgPoolStep(int channels, int plane) : IStep
{
    public long OutSize => channels;
    public long ScratchSize => 0;

    public void Run(ReadOnlySpan<float> x, int batch, Span<float> y, Span<float> scratch, int threads)
    {
        for (int c = 0; c < channels; c++)
        {
            var dst = y.Slice(c * batch, batch);
            dst.Clear();
            for (int p = 0; p < plane; p++)
            {
                var src = x.Slice((c * plane + p) * batch, batch);
                for (int b = 0; b < batch; b++) dst[b] += src[b];
            }
            for (int b = 0; b < batch; b++) dst[b] /= plane;
        }
    }
}
