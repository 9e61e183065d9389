// A one-shot criterion that changes weights as well as choosing the mask
// (SparseGPT's layer-wise reconstruction). IPruningCriterion promises never to
// touch the weights, so these criteria return the new weights beside the mask
// instead, and only the `oneshot` command (Sparsity/OneShot) writes them into a
// model. Mask-only criteria take part through MaskOnly, whose weights are w ⊙ mask.
using TorchSharp;
using static TorchSharp.torch;

namespace SparseLab.Sparsity.Criteria;

/// <param name="Mask">The mask over the request's prunable weights.</param>
/// <param name="Weights">Layer name → the new weight (the parameter's shape, dtype and device), zero where the mask is 0; the holder disposes them.</param>
public sealed record Reconstruction(Mask Mask, IReadOnlyDictionary<string, Tensor> Weights) : IDisposable
{
    public void Dispose()
    {
        Mask.Dispose();
        foreach (var w in Weights.Values) w.Dispose();
    }
}

public interface IReconstructingCriterion
{
    string Name { get; }
    string Description { get; }

    /// <summary>The mask and the weights that go with it. Leaves the model's weights, buffers and mode as it found them.</summary>
    Reconstruction Reconstruct(PruningRequest request);
}

/// <summary>A mask-only criterion in the reconstructing shape: the new weights are w ⊙ mask.</summary>
public sealed class MaskOnly(IPruningCriterion criterion) : IReconstructingCriterion
{
    public string Name => criterion.Name;
    public string Description => criterion.Description;

    public Reconstruction Reconstruct(PruningRequest request)
    {
        var mask = criterion.Prune(request);
        using var noGrad = torch.no_grad();
        var weights = request.Prunable.ToDictionary(p => p.Name, p =>
        {
            var w = p.Weight.detach() * mask[p.Name].to(p.Weight.dtype, p.Weight.device);
            w.DetachFromDisposeScope();
            return w;
        }, StringComparer.Ordinal);
        return new Reconstruction(mask, weights);
    }
}
