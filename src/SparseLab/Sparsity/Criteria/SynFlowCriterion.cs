// SynFlow, iterative synaptic flow pruning (Tanaka et al. 2020, "Pruning
// neural networks without any data by iteratively conserving synaptic flow",
// Algorithm 1): data-free. Every parameter is replaced by |θ| (BatchNorm in eval
// mode; running statistics left as they are), one all-ones input (1, C, H, W)
// gives R = Σ outputs, and the score is |∂R/∂w ⊙ w|. Over n rounds (default
// 100), round k scores the |θ| weights with the mask so far applied and prunes
// to density (1 − s)^(k/n).
// Precision: products of |θ| over many layers overflow float32 (resnet56 at
// init does), so when the request carries the model's registry spec, SynFlow
// scores a float64 replica built from it (TorchSharp's Module.to(dtype)
// replaces Parameter objects that callers and optimizers hold, so the model
// itself is never converted). Without a spec it scores in place in the model's
// dtype, reports a non-finite R as an error, and restores the weights bit for
// bit (copy_) afterwards.
using SparseLab.Foundations;
using TorchSharp;
using static TorchSharp.torch;

namespace SparseLab.Sparsity.Criteria;

public sealed class SynFlowCriterion : IPruningCriterion
{
    public const int DefaultRounds = 100;

    public SynFlowCriterion(int rounds = DefaultRounds)
    {
        if (rounds < 1)
            throw new InvalidOptionException($"SynFlow rounds {rounds} is not valid; use a positive count such as {DefaultRounds}");
        Rounds = rounds;
    }

    public int Rounds { get; }
    public string Name => "synflow";
    public string Description => "|∂R/∂w ⊙ w|, R the output sum of the |θ| network on an all-ones input, 100 rounds (SynFlow, Tanaka et al. 2020)";
    public bool NeedsData => false;

    public Mask Prune(PruningRequest request)
    {
        if (request.Spec is not null && request.Prunable.Count > 0 && request.Prunable[0].Weight.dtype != ScalarType.Float64)
        {
            using var replica = Float64Replica(request.Model, request.Spec);
            var named = replica.named_parameters().ToDictionary(p => p.name, p => p.parameter);
            return Prune(request with { Model = replica, Prunable = [.. request.Prunable.Select(p => (p.Name, named[p.Name]))], Spec = null });
        }
        using var scope = torch.NewDisposeScope();
        using var guard = new ModelStateGuard(request.Model);
        Tensor[] absWeights = Linearize(request);
        Mask? mask = request.Current;
        for (int k = 1; k <= Rounds; k++)
        {
            // Density (1 − s)^(k/n) after round k; the last round hits s exactly.
            double sparsity = k == Rounds ? request.Sparsity : 1.0 - Math.Pow(1.0 - request.Sparsity, (double)k / Rounds);
            Mask next;
            using (var round = torch.NewDisposeScope())
            {
                next = request.Budget.Select(RoundScores(request, absWeights, mask), sparsity, mask);
            }
            if (!ReferenceEquals(mask, request.Current)) mask?.Dispose();
            mask = next;
        }
        return mask!;
    }

    /// <summary>A new model of the same architecture holding the model's weights and buffers in float64.</summary>
    private static nn.Module<Tensor, Tensor> Float64Replica(nn.Module<Tensor, Tensor> model, SparseLab.Models.ModelSpec spec)
    {
        var replica = SparseLab.Models.ModelRegistry.Create(spec);
        var source = model.state_dict();
        using (torch.no_grad())
            foreach (var (name, t) in replica.state_dict())
                t.copy_(source[name]);
        var device = model.parameters().First().device;
        replica.to(device);
        replica.to(ScalarType.Float64);
        return replica;
    }

    /// <summary>One round's scores at the request's current mask (or dense); the caller owns the tensors.</summary>
    public IReadOnlyDictionary<string, Tensor> Scores(PruningRequest request)
    {
        using var scope = torch.NewDisposeScope();
        using var guard = new ModelStateGuard(request.Model);
        return CriterionSupport.Escape(RoundScores(request, Linearize(request), request.Current));
    }

    /// <summary>Eval mode, θ ← |θ| for every parameter; returns the prunable |w|.</summary>
    private static Tensor[] Linearize(PruningRequest request)
    {
        request.Model.eval();
        using var noGrad = torch.no_grad();
        foreach (var p in request.Model.parameters()) p.abs_();
        return [.. request.Prunable.Select(p => p.Weight.detach().clone())];
    }

    private static Dictionary<string, Tensor> RoundScores(PruningRequest request, Tensor[] absWeights, Mask? mask)
    {
        var weights = CriterionSupport.Weights(request);
        using (torch.no_grad())
        {
            for (int i = 0; i < weights.Length; i++)
            {
                var name = request.Prunable[i].Name;
                weights[i].copy_(mask is not null && mask.Contains(name)
                    ? absWeights[i] * mask[name].to(weights[i].dtype, weights[i].device)
                    : absWeights[i]);
            }
        }
        var first = weights[0];
        var ones = torch.ones([1, request.Input.Channels, request.Input.Height, request.Input.Width], dtype: first.dtype, device: first.device);
        var r = request.Model.forward(ones).sum();   // R = 1ᵀ f(1)
        if (!torch.isfinite(r).item<bool>())
            throw new SparseLabException($"SynFlow overflowed: R = Σ outputs of the |θ| network is not finite in {first.dtype}; the model is too deep or its weights too large for this precision");
        var grads = CriterionSupport.Grad(r, weights);
        using var noGrad = torch.no_grad();
        return CriterionSupport.Named(request.Prunable, [.. grads.Zip(weights, (g, w) => (g * w).abs())]);
    }
}
