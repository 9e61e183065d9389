// Per-example squared gradient norms of ℓ_n = CE(f(x_n), y_n), grouped by layer (module path; weight and bias
// together), the building block of the Fisher trace (METHODS §6; Goodfellow 2015; Rochette et al. 2019).
// A masked weight's per-example gradient is ∇W_n ⊙ M. BatchNorm must be in eval mode (running statistics),
// otherwise the examples of a batch interact and per-example gradients are not defined.
using SparseLab.Foundations;
using SparseLab.Sparsity;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace SparseLab.Information;

public static class PerExampleGradients
{
    /// <summary>
    /// One forward and one backward pass: forward hooks capture each layer's input and output, and
    /// torch.autograd.grad of the summed loss with respect to the outputs gives every g_n at once (no
    /// parameter's .grad is written). Returns layer → (B) float64 squared norms.
    /// </summary>
    public static Dictionary<string, Tensor> Fast(nn.Module<Tensor, Tensor> model, Tensor input, Tensor labels, Mask? mask, bool linearOnly = false) =>
        FastMany(model, input, _ => [labels], mask, linearOnly)[0];

    /// <summary>
    /// <see cref="Fast"/> for several label sets on one forward pass: <paramref name="labelSets"/> receives the
    /// logits (detached) and returns the labels to score, e.g. the dataset's and labels sampled from the model
    /// (empirical and true Fisher). Each set costs one backward pass to the layer outputs, no second forward.
    /// </summary>
    /// <param name="linearOnly">Measure the Linear layers only, skipping other modules with parameters (a GPT's embeddings and LayerNorms).</param>
    public static IReadOnlyList<Dictionary<string, Tensor>> FastMany(nn.Module<Tensor, Tensor> model, Tensor input,
        Func<Tensor, IReadOnlyList<Tensor>> labelSets, Mask? mask, bool linearOnly = false)
    {
        ArgumentNullException.ThrowIfNull(model);
        var layers = PerExampleLayer.Of(model, mask, linearOnly);
        var captured = new Dictionary<string, (Tensor Input, Tensor Output)>(StringComparer.Ordinal);
        var hooks = new List<Action>();
        using var scope = torch.NewDisposeScope();
        using var enable = torch.enable_grad();
        try
        {
            foreach (var layer in layers)
            {
                var handle = layer.Module.register_forward_hook((_, x, y) =>
                {
                    if (!captured.TryAdd(layer.Name, (x.detach(), y)))
                        throw new NotSupportedException($"per-example gradients: layer '{layer.Name}' runs more than once in a forward pass");
                    return y.alias();   // Sequential disposes intermediate outputs; the alias is the handle it may dispose
                });
                hooks.Add(handle.remove);
            }
            var logits = model.call(input);                                            // (B, classes) or (B, T, V)
            var sets = labelSets(logits.detach());
            var missing = layers.FirstOrDefault(l => !captured.ContainsKey(l.Name));
            if (missing is not null)
                throw new SparseLabException($"per-example gradients: the forward pass never reached layer '{missing.Name}' through Module.call");
            var outputs = layers.Select(l => captured[l.Name].Output).ToArray();
            var grads = new List<Tensor[]>();
            for (int k = 0; k < sets.Count; k++)
            {
                var loss = Training.Tasks.CrossEntropy.Of(logits, sets[k], nn.Reduction.Sum);   // a sequence's loss sums over its tokens
                var g = torch.autograd.grad([loss], outputs, retain_graph: k < sets.Count - 1, allow_unused: true);
                grads.Add([.. g.Select((t, i) => (t ?? torch.zeros_like(outputs[i])).detach())]);
            }
            var results = sets.Select(_ => new Dictionary<string, Tensor>(StringComparer.Ordinal)).ToList();
            using (torch.no_grad())
            {
                for (int i = 0; i < layers.Count; i++)
                {
                    var norms = PerExampleNorms.OfMany(layers[i], captured[layers[i].Name].Input, [.. grads.Select(g => g[i])]);
                    for (int k = 0; k < sets.Count; k++)
                        results[k][layers[i].Name] = norms[k].to(ScalarType.Float64).MoveToOuterDisposeScope();
                }
            }
            return results;
        }
        finally
        {
            foreach (var remove in hooks) remove();
        }
    }

    /// <summary>Reference: one backward pass per example, the same grouping and masking as <see cref="Fast"/>.</summary>
    public static Dictionary<string, Tensor> Naive(nn.Module<Tensor, Tensor> model, Tensor input, Tensor labels, Mask? mask, bool linearOnly = false)
    {
        ArgumentNullException.ThrowIfNull(model);
        var layers = PerExampleLayer.Of(model, mask, linearOnly);
        long batch = input.shape[0];
        var norms = layers.ToDictionary(l => l.Name, _ => new double[batch], StringComparer.Ordinal);
        var parameters = layers.SelectMany(l => l.Parameters).ToArray();
        using var enable = torch.enable_grad();
        for (long n = 0; n < batch; n++)
        {
            using var scope = torch.NewDisposeScope();
            var logits = model.call(input.narrow(0, n, 1));                            // (1, classes) or (1, T, V)
            var loss = Training.Tasks.CrossEntropy.Of(logits, labels.narrow(0, n, 1), nn.Reduction.Sum);
            var grads = torch.autograd.grad([loss], parameters, allow_unused: true);
            int k = 0;
            foreach (var layer in layers)
            {
                double sum = 0;
                for (int j = 0; j < layer.Parameters.Length; j++, k++)
                {
                    if (grads[k] is not { } g) continue;
                    if (j == 0 && layer.Mask is not null) g = g * layer.Mask.to(g.dtype, g.device);
                    sum += g.to(ScalarType.Float64).square().sum().item<double>();
                }
                norms[layer.Name][n] = sum;
            }
        }
        return norms.ToDictionary(kv => kv.Key, kv => torch.tensor(kv.Value, dtype: ScalarType.Float64), StringComparer.Ordinal);
    }

    /// <summary>
    /// Closed forms for the last Linear layer (logits z = W h + b, p = softmax z; METHODS §6): per example,
    /// true Fisher trace Σ_c (p_c − p_c²)((M h²)_c + 1) and empirical Σ_c (p_c − δ_cy)²((M h²)_c + 1); without a mask
    /// (M all ones) these are (1 − Σ p²)(‖h‖² + 1) and (1 − 2p_y + Σ p²)(‖h‖² + 1). The classifier's mask, if the
    /// mask covers it, is applied exactly. Returns (B) float64 each.
    /// </summary>
    public static (Tensor True, Tensor Empirical) LastLayer(nn.Module<Tensor, Tensor> model, Tensor input, Tensor labels, Mask? mask = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        var (name, last) = model.named_modules().LastOrDefault(m => m.module is Linear);
        if (last is not Linear linear)
            throw new NotSupportedException($"last-layer Fisher: model {model.GetType().Name} has no Linear layer");
        Tensor? h = null;
        using var scope = torch.NewDisposeScope();
        using var noGrad = torch.no_grad();
        var handle = linear.register_forward_hook((_, x, y) => { h = x.detach(); return y; });
        Tensor logits;
        try { logits = model.call(input); }                                           // (B, classes)
        finally { handle.remove(); }
        if (h is null) throw new SparseLabException($"last-layer Fisher: the forward pass never reached '{name}' through Module.call");
        var p = nn.functional.softmax(logits.to(ScalarType.Float64), 1);              // (B, classes)
        var h2 = h.to(ScalarType.Float64).reshape(h.shape[0], -1).square();            // (B, in)
        var weightName = PerExampleLayer.WeightName(name);
        var w = mask is not null && mask.Contains(weightName)
            ? mask[weightName].to(ScalarType.Float64, h2.device)                       // (classes, in)
            : torch.ones_like(linear.weight!, dtype: ScalarType.Float64);
        var scale = torch.matmul(h2, w.t());                                           // (B, classes): (M h²)_c
        if (linear.bias is not null) scale = scale + 1;
        var trueTrace = ((p - p.square()) * scale).sum(1);                             // E_y (p_c − δ_cy)² = p_c − p_c²
        var g = p - nn.functional.one_hot(labels, p.shape[1]).to(ScalarType.Float64);  // ∂ℓ/∂z
        var empirical = (g.square() * scale).sum(1);
        return (trueTrace.MoveToOuterDisposeScope(), empirical.MoveToOuterDisposeScope());
    }
}
