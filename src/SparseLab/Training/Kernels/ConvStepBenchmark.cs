// One case of `bench conv`: a masked Conv2d layer's share of a training step
// (forward, input gradient, weight gradient) on the sparse kernels against
// libtorch's dense convolution with the masked weight, the `--kernels dense`
// path, on the same random data in the same process, timed long enough for a
// table (bench/RESULTS.md). Runs on `--kernels auto` time the same step, briefly,
// for each of their layers (KernelProbe).
using SparseLab.Foundations;
using SparseLab.Inference;
using TorchSharp;
using static TorchSharp.torch;

namespace SparseLab.Training.Kernels;

/// <summary>A convolution's shape: channels in and out, square input size, stride, square kernel and padding.</summary>
public sealed record ConvShape(int In, int Out, int Size, int Stride, int Kernel, int Padding)
{
    /// <summary>"IN:OUT:SIZE:STRIDE[:KERNEL[:PADDING]]"; the kernel defaults to 3, the padding to kernel / 2.</summary>
    public static ConvShape Parse(string text, string field)
    {
        var parts = text.Split(':');
        var values = parts.Select(p => int.TryParse(p, out int v) ? v : -1).ToArray();
        Check.That(parts.Length is >= 4 and <= 6 && values.All(v => v >= 0) && values[..4].All(v => v > 0) && (values.Length < 5 || values[4] > 0),
            $"{ConfigError.Field(field)} '{text}' is not IN:OUT:SIZE:STRIDE[:KERNEL[:PADDING]] with positive sizes (for example 16:32:32:2)");
        int kernel = values.Length > 4 ? values[4] : 3;
        var shape = new ConvShape(values[0], values[1], values[2], values[3], kernel, values.Length > 5 ? values[5] : kernel / 2);
        Check.That(shape.Size + 2 * shape.Padding >= kernel, $"{ConfigError.Field(field)} '{text}': the {kernel}×{kernel} kernel is larger than the padded {shape.Size}×{shape.Size} input");
        return shape;
    }

    public override string ToString() => $"{In}:{Out}:{Size}:{Stride}:{Kernel}:{Padding}";
}

public sealed record ConvStepCase(ConvShape Shape, int Batch, double Sparsity, double Density, int Threads, double DenseMs, double SparseMs)
{
    public double Speedup => DenseMs / SparseMs;
}

public static class ConvStepBenchmark
{
    public static ConvStepCase Measure(ConvShape shape, int batch, double sparsity, int threads, int seed = 0)
    {
        torch.manual_seed(seed);
        using var scope = torch.NewDisposeScope();
        var conv = nn.Conv2d(shape.In, shape.Out, shape.Kernel, stride: shape.Stride, padding: shape.Padding, bias: false);
        using var sparse = new SparseConv2d("weight", conv);
        var (density, denseMs, sparseMs) = Compare(conv, sparse, sparsity, batch, [shape.In, shape.Size, shape.Size]);
        return new ConvStepCase(shape, batch, sparsity, density, threads, denseMs, sparseMs);
    }

    /// <summary>The same for a masked Linear layer with a bias (as in the MLPs): its step on the sparse kernels and on libtorch with the masked weight.</summary>
    public static (double Density, double DenseMs, double SparseMs) MeasureLinear(int inFeatures, int outFeatures, int batch, double sparsity, int seed = 0)
    {
        torch.manual_seed(seed);
        using var scope = torch.NewDisposeScope();
        var linear = nn.Linear(inFeatures, outFeatures);
        using var sparse = new SparseLinear("weight", linear);
        return Compare(linear, sparse, sparsity, batch, [inFeatures]);
    }

    // A random mask of the sparsity on the layer's weight, then its step (forward, input and weight gradients) timed on libtorch and on the kernels.
    private static (double Density, double DenseMs, double SparseMs) Compare(nn.Module<Tensor, Tensor> layer, SparseLayer sparse, double sparsity, int batch, long[] example)
    {
        var mask = torch.rand(sparse.Weight.shape).ge(sparsity).to(ScalarType.Float32);
        using (torch.no_grad()) sparse.Weight.mul_(mask);
        sparse.Pack(mask);
        var x = torch.randn([batch, .. example]).requires_grad_(true);
        var upstream = torch.randn_like(layer.call(x.detach()));

        void Step(Func<Tensor, Tensor> forward)
        {
            using var step = torch.NewDisposeScope();
            torch.autograd.backward([forward(x)], [upstream]);
            x.grad = null;
            foreach (var p in layer.parameters()) p.grad = null;
            sparse.Values.grad = null;
        }
        double denseMs = Timing.MedianMs(() => Step(layer.call));
        double sparseMs = Timing.MedianMs(() => Step(sparse.Forward));
        return (mask.sum().item<float>() / mask.numel(), denseMs, sparseMs);
    }
}
