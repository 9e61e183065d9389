// Training throughput: full SGD steps (BenchmarkStep: forward, cross-entropy,
// backward, momentum 0.9, weight decay 5e-4) on random data of the model's
// input shape, timed after a warm-up. The PyTorch peer
// (bench/peers/train_throughput.py) does exactly the same.
using System.Diagnostics;
using SparseLab.Data;
using TorchSharp;
using static TorchSharp.torch;

namespace SparseLab.Training;

public sealed record ThroughputResult(string Model, int Batch, int Threads, int Steps, double Sparsity, string Kernels, double ImagesPerS, long Params, string Framework,
    IReadOnlyList<Kernels.LayerKernel> Layers);

public static class TrainThroughput
{
    /// <summary>The benchmark's input for each model: CIFAR shapes for ResNets/VGGs (ResNet-32 with 100 classes, as in the seed).</summary>
    public static InputShape InputFor(string model) => model switch
    {
        "mlp" or "mlp-wide" or "lenet5" => new InputShape(1, 28, 28, 10),
        "resnet32" => new InputShape(3, 32, 32, 100),
        _ => new InputShape(3, 32, 32, 10),
    };

    /// <summary>Images per second of <paramref name="steps"/> BenchmarkSteps after <paramref name="warmup"/> untimed ones.</summary>
    /// <param name="warn">Where a warning goes (a kernel-times cache that does not read).</param>
    public static ThroughputResult Measure(string modelName, int batch, int steps, int warmup, Device device, double sparsity = 0, string kernels = "dense",
        Action<string>? warn = null)
    {
        using var step = new BenchmarkStep(modelName, batch, device, sparsity, kernels, warn).Begin();
        var clock = new Stopwatch();
        for (int i = 0; i < warmup + steps; i++)
        {
            if (i == warmup) clock.Start();
            step.Run(i);
        }
        if (device.type == DeviceType.CUDA) torch.cuda.synchronize();
        clock.Stop();
        return new ThroughputResult(modelName, batch, torch.get_num_threads(), steps, sparsity, kernels,
            batch * steps / clock.Elapsed.TotalSeconds, step.Model.parameters().Sum(p => p.numel()),
            $"sparselab (TorchSharp {Foundations.TorchRuntime.TorchSharpVersion}, libtorch {Foundations.TorchRuntime.LibTorchVersion})", step.Layers);
    }
}
