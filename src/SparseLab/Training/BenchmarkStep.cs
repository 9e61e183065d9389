// The training step the benchmarks time (`bench train`, `bench profile`): SGD
// with momentum 0.9 and weight decay 5e-4 (as the PyTorch peer) on random data
// of the model's benchmark input (TrainThroughput.InputFor); with sparsity > 0
// a global-magnitude mask enforced every step as in sparse training
// (MaskEnforcer), and the masked layers on the kernels `kernels` picks
// (KernelPlan; "sparse" means sparse wherever a layer has a kernel, so a model
// with convolutions can be timed too; "auto" first times each layer, or reads
// its times from the machine's cache, as a run does).
using SparseLab.Models;
using SparseLab.Sparsity;
using SparseLab.Training.Kernels;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace SparseLab.Training;

public sealed class BenchmarkStep : IDisposable
{
    // The dense optimizer and the sparse layers' compact one alike.
    private static readonly OptimizationConfig Recipe = new() { Optimizer = "sgd", Lr = 0.1, Momentum = 0.9, WeightDecay = 5e-4 };

    private readonly nn.Module<Tensor, Tensor> _model;
    private readonly OptimizerHelper _optimizer;
    private readonly Tensor _x, _y;
    private readonly MaskEnforcer? _enforcer;
    private SparseTraining? _session;

    public nn.Module<Tensor, Tensor> Model => _model;
    public Tensor Input => _x;
    public Mask? Mask { get; }
    public IReadOnlyList<LayerKernel> Layers { get; }

    /// <param name="warn">Where a warning goes (a kernel-times cache that does not read).</param>
    public BenchmarkStep(string modelName, int batch, Device device, double sparsity, string kernels, Action<string>? warn = null)
    {
        var shape = TrainThroughput.InputFor(modelName);
        torch.manual_seed(0);
        _model = ModelRegistry.Create(new ModelSpec(modelName, shape.Channels, shape.Height, shape.Width, shape.NumClasses));
        _model.to(device).train();
        _optimizer = OptimizerFactory.Create(Recipe, _model.parameters());
        _x = torch.randn([batch, shape.Channels, shape.Height, shape.Width], device: device);
        _y = torch.randint(0, shape.NumClasses, [batch], dtype: ScalarType.Int64, device: device);
        var prunable = PrunableParameters.Of(_model);
        Mask = sparsity > 0
            ? Pruning.Run(new PruningOptions(sparsity, "magnitude", "global", null, 1, 0, false), _model, prunable, () => [], shape, _ => { })
            : null;
        _enforcer = Mask is null ? null : new MaskEnforcer(Mask, prunable);
        _enforcer?.ApplyToWeights();
        var auto = new MeasuredKernels(_model, shape, batch, KernelTimeCache.Default(warn ?? (_ => { })), KernelMachine.Current(torch.get_num_threads()));
        Layers = Mask is null ? [] : KernelPlan.Choose(kernels, _model, Mask, schedule: null, device, strict: false, auto);
    }

    /// <summary>Packs the sparse layers and routes them: after this, the model's layers on the kernels no longer run densely.</summary>
    public BenchmarkStep Begin()
    {
        if (_session is null && SparseTraining.For(Layers, _model, Mask, null, Recipe) is { } session)
        {
            _enforcer!.Exempt(session.Layers);
            session.Begin(_optimizer);
            _session = session;
        }
        return this;
    }

    /// <summary>
    /// Step <paramref name="index"/>: forward with the loss, backward (gradients masked), the optimizers, then the
    /// write-back and the mask; <paramref name="phaseDone"/> is called after each of those four phases (0 to 3).
    /// </summary>
    public void Run(int index, Action<int>? phaseDone = null)
    {
        var session = _session;
        using var scope = torch.NewDisposeScope();
        _optimizer.zero_grad();
        session?.ZeroGrad();
        session?.BeforeForward(index);
        var loss = nn.functional.cross_entropy(_model.forward(_x), _y);
        phaseDone?.Invoke(0);
        loss.backward();
        session?.AfterBackward();
        _enforcer?.MaskGradients();
        phaseDone?.Invoke(1);
        _optimizer.step();
        session?.Step();
        phaseDone?.Invoke(2);
        session?.AfterStep(index + 1, _optimizer);
        _enforcer?.ApplyToWeights();
        phaseDone?.Invoke(3);
    }

    public void Dispose()
    {
        _session?.Dispose();
        Mask?.Dispose();
        _x.Dispose();
        _y.Dispose();
        _optimizer.Dispose();
        _model.Dispose();
    }
}
