// What `--kernels auto` times for one masked layer (KernelProbe), and what the
// kernel-times cache files it under (KernelTimeCache): the layer's kind and
// shape, the rows one training step passes through it (the batch; for a
// Linear layer applied per position, batch × positions), whether its input
// needs a gradient (not the model's first layer, whose input is the data), and
// its density to 0.01. A machine's times hold for its CPU, core count, thread
// count, libtorch and the kernels' version (KernelMachine).
using System.Globalization;
using System.Text.Json.Serialization;
using SparseLab.Foundations;

namespace SparseLab.Training.Kernels;

/// <summary>A masked layer's weight and geometry, as the sparse kernels see it.</summary>
public abstract record LayerShape
{
    /// <summary>"linear 300x784", "conv2d 16->32 k3x3 s2x2 p1x1 in 32x32": the shape's part of a cache key.</summary>
    public abstract string Key { get; }
}

/// <summary>A Linear layer's weight, out × in.</summary>
public sealed record LinearShape(int Out, int In) : LayerShape
{
    public override string Key => $"linear {Out}x{In}";
}

/// <summary>A Conv2d layer: channels in and out, kernel, stride and zero padding, and the height and width of its input.</summary>
public sealed record Conv2dShape(int In, int Out, int KernelH, int KernelW, int StrideH, int StrideW, int PadH, int PadW, int Height, int Width) : LayerShape
{
    public override string Key => $"conv2d {In}->{Out} k{KernelH}x{KernelW} s{StrideH}x{StrideW} p{PadH}x{PadW} in {Height}x{Width}";
}

/// <param name="Batch">The rows one training step passes through the layer.</param>
/// <param name="InputGradient">Whether the step computes the gradient of the layer's input.</param>
/// <param name="Density">The layer's density, rounded to 0.01 (at least 0.01).</param>
public sealed record KernelCase(LayerShape Shape, int Batch, bool InputGradient, double Density)
{
    public static KernelCase Of(LayerShape shape, int batch, bool inputGradient, double density) =>
        new(shape, batch, inputGradient, Math.Max(0.01, Math.Round(density, 2)));

    /// <summary>"linear 300x784 batch 128 no-input-grad density 0.05".</summary>
    public string Key => $"{Shape.Key} batch {Batch}{(InputGradient ? "" : " no-input-grad")} density {Density.ToString("0.00", CultureInfo.InvariantCulture)}";
}

/// <summary>One layer's training step (forward, input and weight gradients) on each kernel, and when it was measured.</summary>
public sealed record StepTimes(double DenseMs, double SparseMs, DateTimeOffset Measured)
{
    /// <summary>
    /// How much faster the sparse step must be for `auto` to take it. Two short probes of the same layer differ by a
    /// few percent, and the step the probe times leaves out what only the sparse path pays (writing the values back
    /// into the dense weight every step, repacking at mask updates): within 5 % the kernels tie, and a tie stays on
    /// libtorch's dense path, so `auto` is not slower than dense by noise.
    /// </summary>
    public const double Margin = 0.05;

    [JsonIgnore]
    public bool SparseFaster => SparseMs <= (1 - Margin) * DenseMs;
}

/// <summary>Where a layer's times hold: the CPU model and its logical cores, libtorch's thread count and version, and the kernels' version.</summary>
public sealed record KernelMachine(string Cpu, int Cores, int Threads, string LibTorch, int KernelVersion)
{
    /// <summary>Bump when a sparse kernel (or how the probe times it) changes, so times of the old kernels are measured again.</summary>
    public const int CurrentKernelVersion = 3;   // 2: the probe timed 0.1–0.2 s per kernel, not 0.02–0.04 s; 3: after 0.25 s of warm-up

    public static KernelMachine Current(int threads) =>
        new(RunEnvironment.CpuModel(), Environment.ProcessorCount, threads, TorchRuntime.LibTorchVersion, CurrentKernelVersion);

    /// <summary>"AMD EPYC 7B13 | 2 cores | 2 threads | libtorch 2.10.0 | kernels v1".</summary>
    public string Key => $"{Cpu} | {Cores} cores | {Threads} threads | libtorch {LibTorch} | kernels v{KernelVersion}";
}
