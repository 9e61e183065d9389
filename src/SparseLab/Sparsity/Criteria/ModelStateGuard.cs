// Snapshots a model's parameters, buffers and per-module training flags, and
// puts them back bit for bit on Dispose, so a criterion may set weights to |w|
// or w ⊙ mask, or run BatchNorm in train mode, without leaving a trace. Values
// are restored with copy_ so the Parameter objects (held by callers and
// optimizers) stay the same objects.
using TorchSharp;
using static TorchSharp.torch;

namespace SparseLab.Sparsity.Criteria;

internal sealed class ModelStateGuard : IDisposable
{
    private readonly List<(Tensor Live, Tensor Saved)> _tensors = [];
    private readonly List<(nn.Module Module, bool Training)> _modes = [];

    public ModelStateGuard(nn.Module model)
    {
        using var noGrad = torch.no_grad();
        foreach (var (_, p) in model.named_parameters()) Save(p);
        foreach (var (_, b) in model.named_buffers()) Save(b);
        _modes.Add((model, model.training));
        foreach (var (_, m) in model.named_modules())
            if (!ReferenceEquals(m, model)) _modes.Add((m, m.training));
    }

    private void Save(Tensor live)
    {
        var saved = live.detach().clone();
        saved.DetachFromDisposeScope();
        _tensors.Add((live, saved));
    }

    /// <summary>w ← w ⊙ current for every prunable weight the mask covers.</summary>
    public static void ApplyMask(IReadOnlyList<(string Name, TorchSharp.Modules.Parameter Weight)> prunable, Mask? current)
    {
        if (current is null) return;
        using var noGrad = torch.no_grad();
        foreach (var (name, w) in prunable)
            if (current.Contains(name)) w.mul_(current[name].to(w.dtype, w.device));
    }

    public void Dispose()
    {
        using (torch.no_grad())
        {
            foreach (var (live, saved) in _tensors)
            {
                live.copy_(saved);
                saved.Dispose();
            }
        }
        // The root first, then named_modules (parents before children), so a
        // parent's recursive train(flag) is corrected by its children's own flags.
        foreach (var (module, training) in _modes) module.train(training);
    }
}
