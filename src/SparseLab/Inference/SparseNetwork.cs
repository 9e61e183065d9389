// The inference engine: a checked sparse model turned into steps that run on
// plain float arrays with the C# kernels (no libtorch). Activations are
// (C, H, W, B) with the batch innermost; flatten is free in that layout
// because PyTorch's flatten order (c, h, w) is already the row order.
// Not thread-safe: one forward pass at a time reuses the same buffers.
using SparseLab.Foundations;

namespace SparseLab.Inference;

public sealed class SparseNetwork
{
    private readonly List<IStep> _steps = [];
    private float[] _a = [], _b = [], _scratch = [];

    public SparseNetwork(SparseModel model)
    {
        Model = model;
        var info = model.Info;
        int c = info.Input[0], h = info.Input[1], w = info.Input[2];
        (SaveStep Step, int C, int H, int W)? saved = null;
        foreach (var l in info.Layers)
        {
            switch (l.Op)
            {
                case "conv2d":
                    var weighted = model.Layers[l.Name!];
                    if (DirectConvStep.Supports(l, weighted))
                    {
                        var direct = new DirectConvStep(l, weighted, c, h, w);
                        _steps.Add(direct);
                        (h, w) = (direct.OutHeight, direct.OutWidth);
                    }
                    else
                    {
                        var conv = new ConvStep(l, weighted, c, h, w);
                        _steps.Add(conv);
                        (h, w) = (conv.OutHeight, conv.OutWidth);
                    }
                    c = l.Out;
                    break;
                case "maxpool2d":
                    var pool = new MaxPoolStep(c, h, w, l.Kernel![0], l.Kernel[1], l.Stride![0], l.Stride[1], l.Ceil);
                    _steps.Add(pool);
                    (h, w) = (pool.OutHeight, pool.OutWidth);
                    break;
                case "save":
                    saved = (new SaveStep((long)c * h * w), c, h, w);
                    _steps.Add(saved.Value.Step);
                    break;
                case "add_shortcut":
                    var (step, sc, sh, sw) = saved!.Value;
                    _steps.Add(new AddShortcutStep(step, sc, c, sh, sw, l.Stride![0], h, w));
                    saved = null;
                    break;
                case "avgpool":
                    _steps.Add(new AvgPoolStep(c, h * w));
                    (h, w) = (1, 1);
                    break;
                case "flatten":
                    (c, h, w) = (c * h * w, 1, 1);
                    break;
                case "linear":
                    _steps.Add(new LinearStep(model.Layers[l.Name!], l.Relu));
                    c = l.Out;
                    break;
            }
        }
        InputSize = (long)info.Input[0] * info.Input[1] * info.Input[2];
    }

    public SparseModel Model { get; }
    public SparseModelInfo Info => Model.Info;
    public long InputSize { get; }
    public int Classes => Info.Classes;

    /// <summary>Reads, checks and builds; DataException for a bad file, before any computation.</summary>
    /// <summary>Reads a model file, refusing one with non-finite weights.</summary>
    public static SparseNetwork Load(string path)
    {
        var model = SparseModelFile.Read(path);
        model.RequireFinite(path);
        return new(model);
    }

    /// <summary>Class scores (Classes × batch, batch contiguous) of an input (C, H, W, batch) already normalized; the array is reused by the next call.</summary>
    public ReadOnlySpan<float> Forward(ReadOnlySpan<float> input, int batch, int threads)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(batch, 1);
        if (input.Length != InputSize * batch)
            throw new ArgumentException($"input has {input.Length} values; {batch} examples of {InputSize} need {InputSize * batch}", nameof(input));
        Reserve(batch);
        ReadOnlySpan<float> x = input;
        long size = InputSize;
        bool toA = true;
        foreach (var step in _steps)
        {
            var y = (toA ? _a : _b).AsSpan(0, (int)(step.OutSize * batch));
            step.Run(x[..(int)(size * batch)], batch, y, _scratch, threads);
            x = y;
            size = step.OutSize;
            toA = !toA;
        }
        return x[..(Classes * batch)];
    }

    private void Reserve(int batch)
    {
        long act = Math.Max(InputSize, _steps.Max(s => s.OutSize)) * batch;
        long scratch = _steps.Max(s => s.ScratchSize) * batch;
        if (act > Array.MaxLength || scratch > Array.MaxLength)
            throw new ConfigError($"batch size {batch} needs {Math.Max(act, scratch)} floats per buffer; use a smaller {ConfigError.Field("BatchSize")}");
        if (_a.Length < act) (_a, _b) = (new float[act], new float[act]);
        if (_scratch.Length < scratch) _scratch = new float[scratch];
    }
}
