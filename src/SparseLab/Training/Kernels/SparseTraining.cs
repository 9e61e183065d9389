// Runs a model's chosen masked Linear and Conv2d layers on sparse kernels inside the
// ordinary training loop. The dense model stays the record that everything
// else reads (evaluation, probes, mask schedules, checkpoints): after every
// step the compact values are written into the dense weights (nnz writes),
// and at a checkpoint or a mask update the compact optimizer state is written
// into the dense optimizer's, whose format checkpoints keep. The compact
// optimizer (same kind and hyperparameters) steps only the kept weights, so
// momentum, Nesterov, Adam moments and weight decay act on them alone — what
// the dense path computes with its masked gradient, since its state at pruned
// positions stays zero (Sparsity/MaskEnforcer). When the mask changes
// (SET, RigL) the layers repack from the dense weights and state, after the
// schedule has zeroed dropped and grown positions. The Trainer calls, per step:
// BeforeForward, AfterBackward, Step (after the dense optimizer), AfterStep
// (before the callbacks), AfterCallbacks.
using SparseLab.Models;
using SparseLab.Schedules;
using SparseLab.Sparsity;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace SparseLab.Training.Kernels;

public sealed class SparseTraining : ILayerRouter, IDisposable
{
    private readonly RoutedModule _model;
    private readonly Mask _mask;
    private readonly MaskSchedule? _schedule;
    private readonly OptimizationConfig _optimization;
    private readonly Dictionary<nn.Module, SparseLayer> _layers = new(ReferenceEqualityComparer.Instance);
    private OptimizerHelper? _compact;
    private int _packedVersion = -1;
    private bool _active;

    private SparseTraining(RoutedModule model, Mask mask, MaskSchedule? schedule, OptimizationConfig optimization, IEnumerable<(string Name, nn.Module Layer)> layers)
    {
        (_model, _mask, _schedule, _optimization) = (model, mask, schedule, optimization);
        foreach (var (name, layer) in layers)
            _layers[layer] = layer switch
            {
                Linear linear => new SparseLinear(name, linear),
                Conv2d conv => new SparseConv2d(name, conv),
                _ => throw new ArgumentException($"no sparse training kernel for {layer.GetType().Name} ({name})"),
            };
    }

    /// <summary>The session for the layers <paramref name="plan"/> puts on sparse kernels, or null when it puts none there.</summary>
    public static SparseTraining? For(IReadOnlyList<LayerKernel> plan, nn.Module model, Mask? mask, MaskSchedule? schedule, OptimizationConfig optimization)
    {
        var sparse = plan.Where(l => l.Kernels == "sparse").Select(l => l.Layer).ToHashSet();
        if (sparse.Count == 0 || mask is null || model is not RoutedModule routed) return null;
        var layers = model.named_modules()
            .Where(m => m.module is Linear or Conv2d && sparse.Contains(m.name + ".weight"))
            .Select(m => (m.name + ".weight", m.module));
        return new SparseTraining(routed, mask, schedule, optimization, layers);
    }

    public IReadOnlyList<string> Layers => [.. _layers.Values.Select(l => l.Name)];

    /// <summary>Whether <paramref name="weight"/> is the dense weight of a layer on the kernels (trained through its compact values instead).</summary>
    public bool Routes(TorchSharp.Modules.Parameter weight) => _layers.Values.Any(l => l.Weight.Handle == weight.Handle);

    /// <summary>The compact values the kernels train (what gradient clipping must see beside the dense parameters).</summary>
    public IEnumerable<TorchSharp.Modules.Parameter> Parameters => _layers.Values.Select(l => l.Values);

    /// <summary>After the callbacks' OnTrainBegin (the mask, a resumed one included, is in force): packs the layers and installs the router.</summary>
    public void Begin(OptimizerHelper dense)
    {
        Repack(dense);
        _model.Router = this;
    }

    Tensor? ILayerRouter.Forward(Linear layer, Tensor input)
    {
        if (!_active || !_layers.TryGetValue(layer, out var sparse)) return null;
        return input.dim() == 2
            ? sparse.Forward(input)
            : sparse.Forward(input.reshape(-1, input.shape[^1])).reshape([.. input.shape[..^1], sparse.Structure.Rows]);
    }

    Tensor? ILayerRouter.Forward(Conv2d layer, Tensor input) =>
        _active && _layers.TryGetValue(layer, out var sparse) ? sparse.Forward(input) : null;

    /// <summary>Routes this step's forward pass; asks for dense gradients when a RigL update reads them after this step.</summary>
    public void BeforeForward(long stepsDone)
    {
        bool dense = _schedule is { NeedsDenseGradient: true } && _schedule.UpdatesAt(stepsDone + 1);
        foreach (var l in _layers.Values) l.KeepDenseGradient = dense;
        _active = true;
    }

    /// <summary>Ends routing; on a dense-gradient step puts each layer's dense gradient where the schedule reads it (weight.grad).</summary>
    public void AfterBackward()
    {
        _active = false;
        foreach (var l in _layers.Values.Where(l => l.KeepDenseGradient))
        {
            l.Weight.grad = l.DenseGradient;
            l.DenseGradient = null;
            l.KeepDenseGradient = false;
        }
    }

    public void ZeroGrad() => _compact?.zero_grad();

    public void SetLearningRate(double lr)
    {
        if (_compact is not null) OptimizerFactory.SetLearningRate(_compact, lr);
    }

    /// <summary>The compact optimizer's step (the dense one skips these layers: their dense weights have no gradient).</summary>
    public void Step() => _compact!.step();

    /// <summary>Dense weights ← compact values; before a mask update also the dense optimizer state ← the compact state.</summary>
    public void AfterStep(long stepsDone, OptimizerHelper dense)
    {
        foreach (var l in _layers.Values) l.WriteBack();
        if (_schedule?.UpdatesAt(stepsDone) == true) WriteState(dense);
    }

    /// <summary>Repacks when the callbacks changed the mask; drops gradients other passes (probes, RigL) left on the dense weights.</summary>
    public void AfterCallbacks(OptimizerHelper dense)
    {
        if (_mask.Version != _packedVersion) Repack(dense);
        foreach (var l in _layers.Values)
            if (l.Weight.grad is not null) l.Weight.grad = null;
    }

    /// <summary>Before a checkpoint: the dense optimizer state ← the compact state, so checkpoints look like any run's.</summary>
    public void WriteState(OptimizerHelper dense)
    {
        using var _ = torch.no_grad();
        var compact = StatesByParameter(_compact!);
        var full = StatesByParameter(dense);
        foreach (var l in _layers.Values)
        {
            var (from, to) = (compact[l.Values.Handle], full[l.Weight.Handle]);
            switch (from, to)
            {
                case (SGD.State c, SGD.State d):
                    d.momentum_buffer = c.momentum_buffer is null ? null! : ScatterInto(l, c.momentum_buffer, d.momentum_buffer);
                    break;
                case (Adam.State c, Adam.State d):
                    d.step = c.step;
                    d.exp_avg = ScatterInto(l, c.exp_avg, d.exp_avg);
                    d.exp_avg_sq = ScatterInto(l, c.exp_avg_sq, d.exp_avg_sq);
                    if (c.max_exp_avg_sq is not null) d.max_exp_avg_sq = ScatterInto(l, c.max_exp_avg_sq, d.max_exp_avg_sq);
                    break;
                case (AdamW.State c, AdamW.State d):
                    d.step = c.step;
                    d.exp_avg = ScatterInto(l, c.exp_avg, d.exp_avg);
                    d.exp_avg_sq = ScatterInto(l, c.exp_avg_sq, d.exp_avg_sq);
                    if (c.max_exp_avg_sq is not null) d.max_exp_avg_sq = ScatterInto(l, c.max_exp_avg_sq, d.max_exp_avg_sq);
                    break;
            }
        }
    }

    // Compact form from the dense weights and the dense optimizer state; a new compact optimizer over the new values.
    private void Repack(OptimizerHelper dense)
    {
        foreach (var l in _layers.Values) l.Pack(_mask[l.Name]);
        _packedVersion = _mask.Version;
        _compact?.Dispose();
        _compact = OptimizerFactory.Create(_optimization, _layers.Values.Select(l => l.Values), allDecay: true);
        using var _ = torch.no_grad();
        var compact = StatesByParameter(_compact);
        var full = StatesByParameter(dense);
        foreach (var l in _layers.Values)
        {
            switch (full[l.Weight.Handle], compact[l.Values.Handle])
            {
                case (SGD.State d, SGD.State c):
                    if (d.momentum_buffer is not null && !d.momentum_buffer.IsInvalid) c.momentum_buffer = Detached(l.Gather(d.momentum_buffer));
                    break;
                case (Adam.State d, Adam.State c):
                    c.step = d.step;
                    c.exp_avg = Detached(l.Gather(d.exp_avg));
                    c.exp_avg_sq = Detached(l.Gather(d.exp_avg_sq));
                    if (d.max_exp_avg_sq is not null && !d.max_exp_avg_sq.IsInvalid) c.max_exp_avg_sq = Detached(l.Gather(d.max_exp_avg_sq));
                    break;
                case (AdamW.State d, AdamW.State c):
                    c.step = d.step;
                    c.exp_avg = Detached(l.Gather(d.exp_avg));
                    c.exp_avg_sq = Detached(l.Gather(d.exp_avg_sq));
                    if (d.max_exp_avg_sq is not null && !d.max_exp_avg_sq.IsInvalid) c.max_exp_avg_sq = Detached(l.Gather(d.max_exp_avg_sq));
                    break;
            }
        }
    }

    private static Tensor Detached(Tensor t) => t.contiguous().clone().DetachFromDisposeScope();

    private static Tensor ScatterInto(SparseLayer l, Tensor compact, Tensor? dense)
    {
        var target = dense is null || dense.IsInvalid ? torch.zeros_like(l.Weight).DetachFromDisposeScope() : dense;
        l.Scatter(compact, target);
        return target;
    }

    private static Dictionary<IntPtr, OptimizerState> StatesByParameter(OptimizerHelper optimizer)
    {
        var parameters = optimizer.parameters().ToList();
        var states = optimizer.state_dict().State;
        var byHandle = new Dictionary<IntPtr, OptimizerState>();
        for (int i = 0; i < parameters.Count; i++) byHandle[parameters[i].Handle] = states[i];
        return byHandle;
    }

    public void Dispose()
    {
        _model.Router = null;
        _compact?.Dispose();
        foreach (var l in _layers.Values) l.Dispose();
    }
}
