// One end of a linear path: a network's trainable parameters and its buffers
// (BatchNorm running statistics), copied out of a model so that no model needs
// to stay alive. The tensors are owned, detached, and kept on the CPU.
using SparseLab.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace SparseLab.Information;

public sealed class StateSource : IDisposable
{
    private readonly Dictionary<string, Tensor> _parameters;
    private readonly Dictionary<string, Tensor> _buffers;

    private StateSource(string label, Dictionary<string, Tensor> parameters, Dictionary<string, Tensor> buffers)
        => (Label, _parameters, _buffers) = (label, parameters, buffers);

    /// <summary>What this end is, for messages and reports (e.g. "runs/a:final").</summary>
    public string Label { get; }

    /// <summary>Trainable parameters by state-dict name, in module order.</summary>
    public IReadOnlyDictionary<string, Tensor> Parameters => _parameters;

    /// <summary>Buffers (running_mean, running_var, num_batches_tracked) by state-dict name.</summary>
    public IReadOnlyDictionary<string, Tensor> Buffers => _buffers;

    /// <summary>Copies the current parameters and buffers of <paramref name="model"/>; the model stays the caller's.</summary>
    public static StateSource FromModel(nn.Module model, string label = "model")
    {
        ArgumentNullException.ThrowIfNull(model);
        using var noGrad = torch.no_grad();
        var parameters = new Dictionary<string, Tensor>();
        var buffers = new Dictionary<string, Tensor>();
        foreach (var (name, p) in model.named_parameters())
            if (p.requires_grad) parameters[name] = Copy(p);
        foreach (var (name, b) in model.named_buffers())
            buffers[name] = Copy(b);
        return new StateSource(label, parameters, buffers);
    }

    /// <summary>Loads checkpoint <paramref name="checkpoint"/> of run folder <paramref name="runDir"/>, keeps its state, and frees the model.</summary>
    public static StateSource FromCheckpoint(string runDir, string checkpoint = "final")
    {
        using var saved = SavedRun.Open(runDir, checkpoint);
        return FromModel(saved.Model, $"{saved.Folder.Path}:{checkpoint}");
    }

    private static Tensor Copy(Tensor t)
    {
        var copy = t.detach().to(CPU).clone();
        copy.DetachFromDisposeScope();
        return copy;
    }

    public void Dispose()
    {
        foreach (var t in _parameters.Values) t.Dispose();
        foreach (var t in _buffers.Values) t.Dispose();
    }
}
