// Fisher pruning in the style of Optimal Brain Damage (LeCun, Denker & Solla
// 1990, Eq. 6: saliency ½ h_ii w_i²) with the Hessian diagonal replaced by the
// empirical Fisher diagonal (Theis et al. 2018, "Faster gaze prediction with
// dense networks and Fisher pruning"): score ½ · F_ii · w_i², where
// F_ii = mean over the examples n of the scoring batches of (∂ℓ_n/∂w_i)², ℓ_n
// the cross-entropy of example n with its dataset label. METHODS.md §2, §6.
// Eval mode: a per-example gradient is not defined under batch statistics.
// One backward per example (a plain loop; exact, and cheap on a few batches).
using TorchSharp;
using static TorchSharp.torch;

namespace SparseLab.Sparsity.Criteria;

public sealed class FisherCriterion : ScoreCriterion
{
    public override string Name => "fisher";
    public override string Description => "½ · F_ii · w²: empirical diagonal Fisher saliency (OBD-style)";
    public override bool NeedsData => true;

    protected override Dictionary<string, Tensor> ComputeScores(PruningRequest request)
    {
        using var guard = new ModelStateGuard(request.Model);
        ModelStateGuard.ApplyMask(request.Prunable, request.Current);
        request.Model.eval();
        var weights = CriterionSupport.Weights(request);

        Tensor[] squares = [.. weights.Select(w => torch.zeros_like(w))];
        long count = 0;
        foreach (var (input, labels) in request.ScoringBatches())
        {
            for (long n = 0; n < input.shape[0]; n++)
            {
                using var step = torch.NewDisposeScope();
                var loss = CriterionSupport.Loss(request.Model, input.narrow(0, n, 1), labels.narrow(0, n, 1));
                var g = CriterionSupport.Grad(loss, weights);   // ∂ℓ_n/∂w
                using var noGrad = torch.no_grad();
                for (int i = 0; i < g.Length; i++) squares[i].add_(g[i].square());
                count++;
            }
        }
        if (count == 0) throw CriterionSupport.NoBatches(Name);

        using var noGrad2 = torch.no_grad();
        return CriterionSupport.Named(request.Prunable, [.. squares.Zip(weights, (s, w) => 0.5 * (s / count) * w.square())]);
    }
}
