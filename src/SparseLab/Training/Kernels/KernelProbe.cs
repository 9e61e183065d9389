// The measurement behind `--kernels auto`: one masked layer's training step
// (forward, input gradient where the run needs it, weight gradient) on the
// sparse kernels against libtorch with the masked dense weight (the
// `--kernels dense` path), at the run's batch and the layer's real input size,
// on random data and a random mask of the layer's density: 0.25 s of warm-up,
// then the median of at least five calls over 0.1–0.2 s per kernel (at least
// three where a step takes longer), so a layer costs about 0.7 s, once per
// machine and case. The first version warmed up with one call and timed
// 0.02–0.04 s: it timed the C# kernels before .NET had finished compiling them
// (32→32 at 16×16, density 0.09: 10.8 ms sparse, against 6.6 ms once warm),
// left two thirds of ResNet-20's convolutions dense and made `auto` slower
// than `sparse` (bench/RESULTS.md, "End to end on sparse kernels"). The global
// random generator is left as it was: whether a layer was measured or read
// from the cache must not change what the run draws afterwards.
using SparseLab.Inference;
using TorchSharp;
using static TorchSharp.torch;

namespace SparseLab.Training.Kernels;

public static class KernelProbe
{
    private const ulong Seed = 20261208;

    public static StepTimes Measure(KernelCase c)
    {
        using var rng = torch.get_rng_state();   // building the layer draws its initial weights from the global generator
        try
        {
            using var scope = torch.NewDisposeScope();
            using var grad = torch.enable_grad();
            using var generator = new Generator(Seed);
            return c.Shape switch
            {
                LinearShape l => Linear(l, c, generator),
                Conv2dShape s => Conv(s, c, generator),
                _ => throw new ArgumentException($"no sparse training kernel to time for {c.Shape.Key}"),
            };
        }
        finally
        {
            torch.set_rng_state(rng);
        }
    }

    private static StepTimes Linear(LinearShape shape, KernelCase c, Generator generator)
    {
        using var layer = nn.Linear(shape.In, shape.Out, hasBias: false);
        using var sparse = new SparseLinear("probe", layer);
        var x = torch.randn([c.Batch, shape.In], generator: generator);                    // (B, in)
        var upstream = torch.randn([c.Batch, shape.Out], generator: generator);            // (B, out)
        return Time(layer.weight!, sparse, x, upstream, c, generator, layer.call);
    }

    private static StepTimes Conv(Conv2dShape shape, KernelCase c, Generator generator)
    {
        using var layer = nn.Conv2d(shape.In, shape.Out, (shape.KernelH, shape.KernelW), stride: (shape.StrideH, shape.StrideW),
            padding: (shape.PadH, shape.PadW), bias: false);
        using var sparse = new SparseConv2d("probe", layer);
        var x = torch.randn([c.Batch, shape.In, shape.Height, shape.Width], generator: generator);   // (B, C, H, W)
        using var y = layer.call(x);
        var upstream = torch.randn(y.shape, generator: generator);                                   // (B, O, OH, OW)
        return Time(layer.weight!, sparse, x, upstream, c, generator, layer.call);
    }

    private static StepTimes Time(TorchSharp.Modules.Parameter weight, SparseLayer sparse, Tensor x, Tensor upstream, KernelCase c, Generator generator,
        Func<Tensor, Tensor> dense)
    {
        var mask = torch.rand(weight.shape, generator: generator).lt(c.Density).to(ScalarType.Float32);
        using (torch.no_grad()) weight.mul_(mask);
        sparse.Pack(mask);
        x.requires_grad_(c.InputGradient);

        void Step(Func<Tensor, Tensor> forward)
        {
            using var step = torch.NewDisposeScope();
            torch.autograd.backward([forward(x)], [upstream]);
            x.grad = null;
            weight.grad = null;
            sparse.Values.grad = null;
        }
        double Median(Func<Tensor, Tensor> forward) =>
            Math.Round(Timing.MedianMs(() => Step(forward), warmup: 1, minReps: 5, minSeconds: 0.1, maxSeconds: 0.2, warmupSeconds: 0.25), 4);
        return new StepTimes(Median(dense), Median(sparse.Forward), DateTimeOffset.UtcNow);
    }
}
