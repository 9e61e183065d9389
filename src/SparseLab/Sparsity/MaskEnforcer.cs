// Keeps pruned weights exactly zero through training (METHODS §3): the
// gradient is masked before every optimizer step, so momentum, Nesterov and
// Adam moments never accumulate at pruned positions; the weights are masked
// after every step, so nothing (weight decay, a stray update) can revive them;
// and the optimizer's state tensors are masked whenever a mask is installed.
using SparseLab.Training;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace SparseLab.Sparsity;

public sealed class MaskEnforcer : ITrainingCallback
{
    private readonly List<(Parameter Weight, Tensor Mask)> _pairs;
    private readonly List<string> _names;
    private readonly HashSet<string> _exempt = [];

    public MaskEnforcer(Mask mask, IReadOnlyList<(string Name, Parameter Weight)> prunable)
    {
        Mask = mask;
        mask.CheckMatches(prunable, "in use");
        var masked = prunable.Where(p => mask.Contains(p.Name)).ToList();
        _names = [.. masked.Select(p => p.Name)];
        _pairs = [.. masked.Select(p => (p.Weight, mask[p.Name].to(p.Weight.device)))];
    }

    public Mask Mask { get; }

    /// <summary>
    /// Layers whose weights stay masked by construction (trained on sparse kernels, Training/Kernels): the per-step
    /// masking skips them; masking after a mask update still covers them.
    /// </summary>
    public void Exempt(IEnumerable<string> layers) => _exempt.UnionWith(layers);

    /// <summary>Re-reads the mask after it changed in place (a mask schedule updated it).</summary>
    public void Refresh()
    {
        using var _ = torch.no_grad();
        foreach (var (name, (_, m)) in _names.Zip(_pairs))
            if (!ReferenceEquals(m, Mask[name])) m.copy_(Mask[name]);
    }

    public void OnTrainBegin(TrainingContext context)
    {
        ApplyToWeights(includeExempt: true);
        MaskOptimizerState(context.Optimizer);
    }

    public void OnAfterBackward(TrainingContext context) => MaskGradients();

    /// <summary>g ← g ⊙ M for every masked weight.</summary>
    public void MaskGradients()
    {
        using var _ = torch.no_grad();
        foreach (var (w, m) in _pairs)
            w.grad?.mul_(m);
    }

    public void OnAfterStep(TrainingContext context) => ApplyToWeights();

    /// <summary>w ← w ⊙ M for every masked weight (but the exempt ones unless asked).</summary>
    public void ApplyToWeights(bool includeExempt = false)
    {
        using var _ = torch.no_grad();
        foreach (var (name, (w, m)) in _names.Zip(_pairs))
            if (includeExempt || !_exempt.Contains(name)) w.mul_(m);
    }

    /// <summary>Zeroes SGD momentum buffers and Adam moments at pruned positions.</summary>
    public void MaskOptimizerState(OptimizerHelper optimizer)
    {
        using var _ = torch.no_grad();
        foreach (var (w, state) in OptimizerStates.Of(optimizer))
        {
            var pair = _pairs.FirstOrDefault(p => ReferenceEquals(p.Weight, w) || p.Weight.Handle == w.Handle);
            if (pair.Mask is null) continue;
            foreach (var t in state) t.mul_(pair.Mask);
        }
    }
}
