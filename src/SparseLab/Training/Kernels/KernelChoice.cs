// When `auto` trains a masked Linear or Conv2d layer on the sparse kernels: where its
// full training step (forward, input and weight gradients) measured faster
// than the dense product with the mask. From `bench/sparse-training.sh`
// (bench/RESULTS.md, "Sparse training", 2 cores, batch 128):
//  - 784×300 (235k weights, mlp's fc1): even at density 0.173 (1.00× dense),
//    1.25× at 0.076;
//  - 784×2400 and 2400×800 (1.9M weights, mlp-wide): faster at density 0.32
//    (all layers sparse 1.65× dense against 1.38× with that layer dense) and
//    the whole model at 70 % sparsity 1.1×;
//  - below 100k weights (LeNet-5's fully connected layers, classifiers) the
//    per-call cost outweighs the saving (LeNet-5 on sparse kernels 0.93×).
// For a Conv2d layer: its training step (forward and both gradients) from
// `sparselab bench conv` (bench/conv-step.jsonl, 2 cores, batch 128), by
// stride and fan-in (in-channels × kernel area):
//  - stride 1, fan-in ≤ 300 (ResNet-20's 16→16 and 32→32, its 3-channel stem,
//    LeNet-5's conv2): at least 1.27× at density 0.3 (32→32 at 16²), even or
//    slower at 0.5;
//  - stride 1, fan-in 576 (64→64 at 8²): 0.96× at 0.3, 1.33× at 0.2;
//  - one input channel (LeNet-5's conv1, where libtorch's dense convolution
//    is slowest): 4.96× at density 0.5 and still 2.0× with every weight kept;
//  - strided (the input gradient scatters): 32→64 0.92× at 0.2, 1.35× at 0.1.
// The thresholds sit at or below those break-evens, so auto is never slower.
using TorchSharp.Modules;

namespace SparseLab.Training.Kernels;

public static class KernelChoice
{
    public const long SmallestLayer = 100_000;
    public const long LargeLayer = 1_000_000;
    public const double BreakEvenDensity = 0.15;
    public const double LargeLayerBreakEvenDensity = 0.4;

    /// <summary>The density at or below which a Linear layer of this many weights trains faster on sparse kernels (0: never).</summary>
    public static double BreakEven(long weights) =>
        weights < SmallestLayer ? 0 : weights < LargeLayer ? BreakEvenDensity : LargeLayerBreakEvenDensity;

    /// <summary>Whether `auto` trains a Linear layer of this shape and density on the sparse kernels.</summary>
    public static bool AutoPrefersSparse(long rows, long cols, double density) => density <= BreakEven(rows * cols);

    public const double SingleChannelConvBreakEvenDensity = 1.0;
    public const double NarrowConvBreakEvenDensity = 0.3;
    public const long NarrowConvFanIn = 300;
    public const double ConvBreakEvenDensity = 0.2;
    public const double StridedConvBreakEvenDensity = 0.1;

    /// <summary>The density at or below which a Conv2d layer trains faster on sparse kernels.</summary>
    public static double BreakEven(Conv2d conv)
    {
        var w = conv.weight!.shape;   // (out, in, kh, kw)
        return !conv.stride.All(s => s == 1) ? StridedConvBreakEvenDensity
            : w[1] == 1 ? SingleChannelConvBreakEvenDensity
            : w[1] * w[2] * w[3] <= NarrowConvFanIn ? NarrowConvBreakEvenDensity
            : ConvBreakEvenDensity;
    }

    /// <summary>Whether `auto` trains a Conv2d layer at this density on the sparse kernels.</summary>
    public static bool AutoPrefersSparse(Conv2d conv, double density) => density <= BreakEven(conv);
}
