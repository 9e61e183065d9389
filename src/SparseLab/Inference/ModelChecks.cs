// Checks a sparse model's metadata before anything is allocated or computed:
// known ops, sane sizes, and a layer chain whose shapes fit together from the
// input (C, H, W) to the class scores.
using SparseLab.Foundations;

namespace SparseLab.Inference;

internal static class ModelChecks
{
    private const long MaxActivation = 1L << 26;   // values per example: far above any supported network, far below memory limits

    public static void Info(SparseModelInfo info, Func<string, DataException> bad)
    {
        if (info.Format != SparseModelInfo.CurrentFormat)
            throw bad($"format version {info.Format}; this SparseLab reads version {SparseModelInfo.CurrentFormat}");
        if (info.Input is not { Length: 3 } || info.Input.Any(d => d is < 1 or > 65536))
            throw bad($"input shape ({string.Join(", ", info.Input ?? [])}) is not (C, H, W) with positive sizes");
        int channels = info.Input[0];
        if (info.Mean is null || info.Std is null || info.Mean.Length != channels || info.Std.Length != channels || info.Std.Any(s => !(s > 0)))
            throw bad($"normalization needs {channels} means and {channels} positive stds");
        if (info.Classes < 1) throw bad($"{info.Classes} classes");
        if (info.Layers is not { Length: > 0 }) throw bad("it has no layers");

        long c = channels, h = info.Input[1], w = info.Input[2];
        bool flat = false;
        (long C, long H, long W)? saved = null;
        foreach (var l in info.Layers)
        {
            string at = l.Name is null ? $"layer '{l.Op}'" : $"layer '{l.Name}'";
            switch (l.Op)
            {
                case "conv2d":
                    if (flat) throw bad($"{at}: a convolution after flatten");
                    Pairs(l, at, bad, padding: true);
                    if (l.In != c) throw bad($"{at} takes {l.In} input channels but receives {c}");
                    h = Out(h, l.Kernel![0], l.Stride![0], l.Padding![0], at, bad);
                    w = Out(w, l.Kernel[1], l.Stride[1], l.Padding[1], at, bad);
                    c = Positive(l.Out, at, bad);
                    break;
                case "maxpool2d":
                    if (flat) throw bad($"{at}: pooling after flatten");
                    Pairs(l, at, bad, padding: false);
                    h = l.Ceil ? CeilOut(h, l.Kernel![0], l.Stride![0], at, bad) : Out(h, l.Kernel![0], l.Stride![0], 0, at, bad);
                    w = l.Ceil ? CeilOut(w, l.Kernel[1], l.Stride[1], at, bad) : Out(w, l.Kernel[1], l.Stride[1], 0, at, bad);
                    break;
                case "save":
                    if (flat) throw bad($"{at}: a residual block after flatten");
                    if (saved is not null) throw bad($"{at}: a residual block inside another");
                    saved = (c, h, w);
                    break;
                case "add_shortcut":
                    if (saved is not { } s) throw bad($"{at}: a shortcut without a saved input (save) before it");
                    if (l.Stride is not { Length: 2 } || l.Stride.Any(v => v < 1) || l.Stride[0] != l.Stride[1])
                        throw bad($"{at} needs a positive stride, the same along h and w");
                    if (l.In != s.C || l.Out != c || l.Out < l.In)
                        throw bad($"{at} pads {l.In} saved channels to {l.Out}, but the block saved {s.C} and produces {c}");
                    if ((s.H + l.Stride[0] - 1) / l.Stride[0] != h || (s.W + l.Stride[1] - 1) / l.Stride[1] != w)
                        throw bad($"{at}: the saved {s.H}x{s.W} input subsampled by {l.Stride[0]}x{l.Stride[1]} does not match the block's {h}x{w} output");
                    saved = null;
                    break;
                case "avgpool":
                    if (flat) throw bad($"{at}: pooling after flatten");
                    (h, w) = (1, 1);
                    break;
                case "flatten":
                    (c, h, w, flat) = (c * h * w, 1, 1, true);
                    break;
                case "linear":
                    if (!flat) throw bad($"{at}: a linear layer before flatten");
                    if (l.In != c) throw bad($"{at} takes {l.In} inputs but receives {c}");
                    c = Positive(l.Out, at, bad);
                    break;
                default:
                    throw bad($"{at}: op '{l.Op}' is not known; the engine runs conv2d, maxpool2d, avgpool, save, add_shortcut, flatten and linear");
            }
            if (l.Op is "conv2d" or "linear" && l.Layout == "nm" && (l.N < 1 || l.M > 255 || l.N >= l.M))
                throw bad($"{at}: N:M = {l.N}:{l.M} is not valid; need 0 < N < M <= 255");
            if (c * h * w > MaxActivation) throw bad($"{at} produces {c}x{h}x{w} values per example, more than the engine supports");
        }
        if (saved is not null) throw bad("a residual block (save) is never closed by add_shortcut");
        if (!flat || c != info.Classes)
            throw bad($"the last layer produces {c}x{h}x{w} values per example, but the model has {info.Classes} classes");
    }

    private static void Pairs(LayerSpec l, string at, Func<string, DataException> bad, bool padding)
    {
        if (l.Kernel is not { Length: 2 } || l.Stride is not { Length: 2 } || l.Kernel.Any(k => k < 1) || l.Stride.Any(s => s < 1))
            throw bad($"{at} needs a positive (h, w) kernel and stride");
        if (padding && (l.Padding is not { Length: 2 } || l.Padding.Any(p => p < 0)))
            throw bad($"{at} needs a non-negative (h, w) padding");
    }

    private static long Out(long size, int kernel, int stride, int padding, string at, Func<string, DataException> bad)
    {
        long o = (size + 2L * padding - kernel) / stride + 1;
        return size + 2L * padding >= kernel && o >= 1 ? o : throw bad($"{at}: kernel {kernel} does not fit an input of {size} (padding {padding})");
    }

    // PyTorch's ceil mode: the last window may hang over the edge, but must start inside the input.
    private static long CeilOut(long size, int kernel, int stride, string at, Func<string, DataException> bad)
    {
        if (size < kernel) throw bad($"{at}: kernel {kernel} does not fit an input of {size}");
        long o = (size - kernel + stride - 1) / stride + 1;
        return (o - 1) * stride >= size ? o - 1 : o;
    }

    internal static long CeilOutSize(long size, int kernel, int stride) => CeilOut(size, kernel, stride, "", m => new DataException(m));

    private static int Positive(int v, string at, Func<string, DataException> bad) => v >= 1 ? v : throw bad($"{at} has {v} outputs");
}
