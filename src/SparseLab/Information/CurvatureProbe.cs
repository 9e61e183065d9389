// Measures the curvature companions of METHODS §6 on a network: the top
// Hessian eigenvalue by power iteration, the Hessian trace by Hutchinson's
// estimator (Hutchinson 1990; E[vᵀHv] = tr H for Rademacher v) and the mean
// input-Jacobian Frobenius norm of the logits, on the first training examples.
using SparseLab.Data;
using SparseLab.Foundations;
using SparseLab.Sparsity;
using SparseLab.Sparsity.Criteria;
using TorchSharp;
using static TorchSharp.torch;

namespace SparseLab.Information;

public static class CurvatureProbe
{
    /// <summary>
    /// L = mean cross-entropy over the first min(Samples, N) training examples in eval mode, w.r.t. every trainable
    /// parameter, restricted to the unpruned coordinates of masked weights. Leaves weights, buffers, training flags and
    /// the global torch RNG as they were: directions come from private generators seeded by <c>options.Seed</c>.
    /// </summary>
    public static Curvature Measure(nn.Module<Tensor, Tensor> model, Dataset train, DatasetInfo info, Mask? mask, CurvatureOptions options, Device device)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(train);
        ArgumentNullException.ThrowIfNull(info);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(device);
        options.Validate();
        long count = Math.Min(options.Samples, train.Count);
        if (count == 0) throw new SparseLabException($"dataset '{train.Name}' is empty: no examples to measure curvature on");

        using var guard = new ModelStateGuard(model);
        using var scope = NewDisposeScope();
        model.eval();
        var named = model.named_parameters().Where(p => p.parameter.requires_grad).ToList();
        if (named.Count == 0) throw new SparseLabException("the model has no trainable parameters: its Hessian is empty");
        Tensor[] parameters = [.. named.Select(p => (Tensor)p.parameter)];
        Tensor?[] projections = [.. named.Select(p => Projection(p.name, p.parameter, mask))];
        if (mask?.Names.FirstOrDefault(n => !named.Any(p => p.name == n)) is { } stray)
            throw new SparseLabException($"mask layer '{stray}' is not a trainable parameter of this model");

        using var subset = train.Slice(0, count);
        var loader = new BatchLoader(subset, info, options.BatchSize, train: false, device);
        var hessian = new CurvatureHessian(model, loader, count, parameters, projections);
        double top = TopEigenvalue(hessian, parameters, options);
        double trace = Trace(hessian, parameters, options);
        double jacobian = JacobianNorm(model, loader, hessian.DType, count);
        return new Curvature(top, trace, jacobian, (int)count);
    }

    // Power iteration from a Gaussian start: λ = vᵀHv with ‖v‖ = 1, then v ← Hv / ‖Hv‖.
    private static double TopEigenvalue(CurvatureHessian hessian, Tensor[] parameters, CurvatureOptions options)
    {
        using var generator = new Generator(SeedMix.Mix(options.Seed, 0));
        var v = parameters.Select(p => torch.randn(p.shape, dtype: p.dtype, generator: generator).to(p.device)).ToArray();
        hessian.Project(v);
        if (!Normalize(v)) return 0;
        double eigenvalue = 0;
        for (int step = 0; step < options.PowerIterations; step++)
        {
            var hv = hessian.Apply(v);
            eigenvalue = CurvatureHessian.Dot(v, hv);
            CurvatureHessian.Free(v);
            v = hv;
            if (!Normalize(v)) return 0;   // Hv = 0: the (projected) Hessian vanishes along v
        }
        CurvatureHessian.Free(v);
        return eigenvalue;
    }

    // Hutchinson: mean of vᵀHv over Rademacher v (±1 per unpruned coordinate, 0 on pruned ones).
    private static double Trace(CurvatureHessian hessian, Tensor[] parameters, CurvatureOptions options)
    {
        using var generator = new Generator(SeedMix.Mix(options.Seed, 1));
        double sum = 0;
        for (int k = 0; k < options.HutchinsonSamples; k++)
        {
            var v = parameters.Select(p =>
                torch.randint(0, 2, p.shape, generator: generator).to(p.dtype, p.device).mul_(2).sub_(1)).ToArray();
            hessian.Project(v);
            var hv = hessian.Apply(v);
            sum += CurvatureHessian.Dot(v, hv);
            CurvatureHessian.Free(v);
            CurvatureHessian.Free(hv);
        }
        return sum / options.HutchinsonSamples;
    }

    // Exact ‖∂f(x)/∂x‖_F per example: one backward of logits[:, c].sum() per class (examples are independent in
    // eval mode, so the gradient of the sum holds each example's row c of its Jacobian).
    private static double JacobianNorm(nn.Module<Tensor, Tensor> model, BatchLoader loader, ScalarType dtype, long count)
    {
        double total = 0;
        for (int b = 0; b < loader.BatchesPerEpoch; b++)
        {
            using var scope = NewDisposeScope();
            var (pixels, _) = loader.Batch(0, 0, b);
            var input = pixels.to(dtype).detach().requires_grad_(true);     // (B, C, H, W)
            var logits = model.forward(input);                              // (B, classes)
            long classes = logits.shape[1];
            var squares = torch.zeros(input.shape[0], dtype: dtype, device: input.device);   // (B)
            for (long c = 0; c < classes; c++)
            {
                var g = torch.autograd.grad([logits.select(1, c).sum()], [input], retain_graph: c < classes - 1)[0];
                using var noGrad = torch.no_grad();
                squares.add_(g.pow(2).flatten(1).sum(1));
            }
            total += squares.sqrt().sum().ToDouble();
        }
        return total / count;
    }

    private static bool Normalize(Tensor[] v)
    {
        double norm = Math.Sqrt(CurvatureHessian.Dot(v, v));
        if (norm == 0 || !double.IsFinite(norm)) return false;
        using var noGrad = torch.no_grad();
        foreach (var t in v) t.div_(norm);
        return true;
    }

    private static Tensor? Projection(string name, Tensor parameter, Mask? mask)
    {
        if (mask is null || !mask.Contains(name)) return null;
        var m = mask[name];
        if (!m.shape.SequenceEqual(parameter.shape))
            throw new SparseLabException(
                $"mask layer '{name}' has shape ({string.Join(", ", m.shape)}) but the model's parameter has ({string.Join(", ", parameter.shape)})");
        return m.to(parameter.dtype, parameter.device);
    }
}
