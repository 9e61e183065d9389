// Training throughput: full SGD steps (forward, cross-entropy, backward,
// momentum 0.9, weight decay 5e-4) on random data of the model's input shape,
// timed after a warm-up. The PyTorch peer (bench/peers/train_throughput.py)
// does exactly the same.
using System.Diagnostics;
using SparseLab.Data;
using SparseLab.Models;
using SparseLab.Sparsity;
using SparseLab.Training.Kernels;
using TorchSharp;
using static TorchSharp.torch;

namespace SparseLab.Training;

public sealed record ThroughputResult(string Model, int Batch, int Threads, int Steps, double Sparsity, string Kernels, double ImagesPerS, long Params, string Framework,
    IReadOnlyList<Kernels.LayerKernel> Layers);

public static class TrainThroughput
{
    // SGD, momentum 0.9, weight decay 5e-4, as the peer: the dense optimizer and the sparse layers' compact one alike.
    private static readonly OptimizationConfig Recipe = new() { Optimizer = "sgd", Lr = 0.1, Momentum = 0.9, WeightDecay = 5e-4 };

    /// <summary>The benchmark's input for each model: CIFAR shapes for ResNets/VGGs (ResNet-32 with 100 classes, as in the seed).</summary>
    public static InputShape InputFor(string model) => model switch
    {
        "mlp" or "mlp-wide" or "lenet5" => new InputShape(1, 28, 28, 10),
        "resnet32" => new InputShape(3, 32, 32, 100),
        _ => new InputShape(3, 32, 32, 10),
    };

    /// <summary>
    /// With sparsity > 0, a global-magnitude mask is enforced every step as in sparse training (MaskEnforcer), and the
    /// masked layers train on the kernels <paramref name="kernels"/> picks (KernelPlan; "sparse" here means sparse
    /// wherever a layer has a kernel, so a model with convolutions can be timed too; "auto" first times each layer, or reads
    /// its times from the machine's cache, as a run does).
    /// </summary>
    /// <param name="warn">Where a warning goes (a kernel-times cache that does not read).</param>
    public static ThroughputResult Measure(string modelName, int batch, int steps, int warmup, Device device, double sparsity = 0, string kernels = "dense",
        Action<string>? warn = null)
    {
        var shape = InputFor(modelName);
        torch.manual_seed(0);
        using var model = ModelRegistry.Create(new ModelSpec(modelName, shape.Channels, shape.Height, shape.Width, shape.NumClasses));
        model.to(device).train();
        using var optimizer = OptimizerFactory.Create(Recipe, model.parameters());
        using var x = torch.randn([batch, shape.Channels, shape.Height, shape.Width], device: device);
        using var y = torch.randint(0, shape.NumClasses, [batch], dtype: ScalarType.Int64, device: device);
        var prunable = PrunableParameters.Of(model);
        using var mask = sparsity > 0
            ? Pruning.Run(new PruningOptions(sparsity, "magnitude", "global", null, 1, 0, false), model, prunable, () => [], shape, _ => { })
            : null;
        var enforcer = mask is null ? null : new MaskEnforcer(mask, prunable);
        enforcer?.ApplyToWeights();
        var auto = new MeasuredKernels(model, shape, batch, KernelTimeCache.Default(warn ?? (_ => { })), KernelMachine.Current(torch.get_num_threads()));
        var layers = mask is null ? [] : KernelPlan.Choose(kernels, model, mask, schedule: null, device, strict: false, auto);
        using var session = SparseTraining.For(layers, model, mask, null, Recipe);
        if (session is not null) enforcer!.Exempt(session.Layers);
        session?.Begin(optimizer);

        var clock = new Stopwatch();
        for (int i = 0; i < warmup + steps; i++)
        {
            if (i == warmup) clock.Start();
            using var scope = torch.NewDisposeScope();
            optimizer.zero_grad();
            session?.ZeroGrad();
            session?.BeforeForward(i);
            var loss = nn.functional.cross_entropy(model.forward(x), y);
            loss.backward();
            session?.AfterBackward();
            enforcer?.MaskGradients();
            optimizer.step();
            session?.Step();
            session?.AfterStep(i + 1, optimizer);
            enforcer?.ApplyToWeights();
        }
        if (device.type == DeviceType.CUDA) torch.cuda.synchronize();
        clock.Stop();
        return new ThroughputResult(modelName, batch, torch.get_num_threads(), steps, sparsity, kernels,
            batch * steps / clock.Elapsed.TotalSeconds, model.parameters().Sum(p => p.numel()),
            $"sparselab (TorchSharp {Foundations.TorchRuntime.TorchSharpVersion}, libtorch {Foundations.TorchRuntime.LibTorchVersion})", layers);
    }
}
