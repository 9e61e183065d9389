// Hessian-vector products of the mean cross-entropy over a fixed set of
// training examples, by double backward (Pearlmutter 1994; METHODS §6):
// Hv = ∂(∇L · v)/∂θ with ∇L taken with create_graph. Directions live on the
// unpruned coordinates: every vector is multiplied by the mask on masked
// weights, so the operator is P H P with P the mask's diagonal projection.
using SparseLab.Data;
using TorchSharp;
using static TorchSharp.torch;

namespace SparseLab.Information;

internal sealed class CurvatureHessian
{
    private readonly nn.Module<Tensor, Tensor> _model;
    private readonly BatchLoader _loader;
    private readonly long _count;
    private readonly Tensor[] _parameters;
    private readonly Tensor?[] _projections;   // mask per parameter in its dtype and device, or null (unmasked)

    public CurvatureHessian(nn.Module<Tensor, Tensor> model, BatchLoader loader, long count, Tensor[] parameters, Tensor?[] projections)
        => (_model, _loader, _count, _parameters, _projections) = (model, loader, count, parameters, projections);

    public ScalarType DType => _parameters[0].dtype;

    /// <summary>P H P v, summed over the batches (each batch's loss weighted by its share of the examples).</summary>
    public Tensor[] Apply(Tensor[] v)
    {
        var result = _parameters.Select(p => torch.zeros_like(p).detach()).ToArray();
        for (int b = 0; b < _loader.BatchesPerEpoch; b++)
        {
            using var scope = NewDisposeScope();
            var (input, labels) = _loader.Batch(0, 0, b);                  // (B, C, H, W), (B)
            var logits = _model.forward(input.to(DType));                  // (B, classes)
            var loss = nn.functional.cross_entropy(logits, labels) * (labels.shape[0] / (double)_count);
            var grads = torch.autograd.grad([loss], _parameters, create_graph: true, retain_graph: true);
            Tensor dot = torch.zeros(1, dtype: DType, device: _parameters[0].device);
            for (int i = 0; i < grads.Count; i++) dot = dot + (grads[i] * v[i]).sum();
            var hv = torch.autograd.grad([dot.sum()], _parameters);
            using var noGrad = torch.no_grad();
            for (int i = 0; i < hv.Count; i++) result[i].add_(hv[i]);
        }
        Project(result);
        return result;
    }

    /// <summary>v ← P v in place (pruned coordinates set to zero).</summary>
    public void Project(Tensor[] v)
    {
        using var noGrad = torch.no_grad();
        for (int i = 0; i < v.Length; i++)
            if (_projections[i] is { } p) v[i].mul_(p);
    }

    public static double Dot(Tensor[] a, Tensor[] b)
    {
        using var noGrad = torch.no_grad();
        double sum = 0;
        for (int i = 0; i < a.Length; i++)
        {
            using var d = (a[i] * b[i]).sum();
            sum += d.ToDouble();
        }
        return sum;
    }

    public static void Free(Tensor[] v)
    {
        foreach (var t in v) t.Dispose();
    }
}
