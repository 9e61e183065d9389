// A masked Conv2d layer on sparse kernels (SparseConv2dFunction). The weight
// (O, C, kh, kw) is stored as rows o over columns c · kh · kw + ki · kw + kj.
// For the input gradient of a stride-1 layer it also keeps the flipped,
// channel-swapped kernel (ConvGeometry.InputGradient): rows c over columns
// o · taps + (taps − 1 − t), whose values are the transposed values (the
// entries of Wᵀ's rows c · taps .. (c + 1) · taps − 1 in order). Offsets into
// the padded input depend on the input's height and width, so they are
// computed for the first input of each size.
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace SparseLab.Training.Kernels;

internal sealed class SparseConv2d(string name, Conv2d layer) : SparseLayer(name, layer.weight!, layer.bias)
{
    private readonly Dictionary<(int H, int W), Plan> _plans = [];

    public Conv2d Layer { get; } = layer;
    public int[] FlippedRowPtr { get; private set; } = [];
    public int[] FlippedColIdx { get; private set; } = [];

    /// <summary>What one input size needs: the geometry and the stored taps' offsets for the forward and input-gradient passes.</summary>
    public sealed record Plan(ConvGeometry Geometry, int[] Offsets, int[] FlippedOffsets);

    public override Tensor Forward(Tensor x) => SparseConv2dFunction.apply(x, Values, Bias!, this);

    public Plan For(int height, int width)
    {
        if (_plans.TryGetValue((height, width), out var plan)) return plan;
        var w = Layer.weight!;
        var g = new ConvGeometry((int)w.shape[1], height, width, (int)w.shape[0], (int)w.shape[2], (int)w.shape[3],
            (int)Layer.stride[0], (int)Layer.stride[1], (int)Layer.padding![0], (int)Layer.padding[1]);
        plan = new Plan(g, SparseConvKernel.Offsets(g, Structure.ColIdx),
            g.Unit ? SparseConvKernel.Offsets(g.InputGradient, FlippedColIdx) : []);
        _plans[(height, width)] = plan;
        return plan;
    }

    protected override void OnPack()
    {
        _plans.Clear();
        var s = Structure;
        int taps = (int)(Layer.weight!.shape[2] * Layer.weight!.shape[3]), channels = s.Cols / taps;
        FlippedRowPtr = new int[channels + 1];
        for (int c = 0; c <= channels; c++) FlippedRowPtr[c] = s.TRowPtr[c * taps];
        FlippedColIdx = new int[s.Stored];
        for (int j = 0; j < s.Cols; j++)
            for (int p = s.TRowPtr[j]; p < s.TRowPtr[j + 1]; p++)
                FlippedColIdx[p] = s.TColIdx[p] * taps + (taps - 1 - j % taps);
    }
}
