// SNIP, connection sensitivity (Lee et al. 2019, "SNIP: Single-shot Network
// Pruning based on Connection Sensitivity", Eq. 6): score |g ⊙ w| with
// g = ∂L/∂w, L the mean cross-entropy of each scoring batch, g summed over the
// batches, at the weights being pruned (w ⊙ current when a mask is given).
// Mode: train mode (BatchNorm uses batch statistics), as in the reference
// code; the running statistics and the mode are restored afterwards.
using TorchSharp;
using static TorchSharp.torch;

namespace SparseLab.Sparsity.Criteria;

public sealed class SnipCriterion : ScoreCriterion
{
    public override string Name => "snip";
    public override string Description => "|g ⊙ w|, g the loss gradient on a few batches (SNIP, Lee et al. 2019)";
    public override bool NeedsData => true;

    protected override Dictionary<string, Tensor> ComputeScores(PruningRequest request)
    {
        using var guard = new ModelStateGuard(request.Model);
        ModelStateGuard.ApplyMask(request.Prunable, request.Current);
        request.Model.train();
        var weights = CriterionSupport.Weights(request);
        Tensor[]? sum = null;
        foreach (var (input, labels) in request.ScoringBatches())
        {
            using var step = torch.NewDisposeScope();
            var g = CriterionSupport.Grad(CriterionSupport.Loss(request.Model, input, labels), weights);
            sum = sum is null ? g : [.. sum.Zip(g, (a, b) => a + b)];
            foreach (var t in sum) t.MoveToOuterDisposeScope();
        }
        if (sum is null) throw CriterionSupport.NoBatches(Name);
        using var noGrad = torch.no_grad();
        return CriterionSupport.Named(request.Prunable, [.. sum.Zip(weights, (g, w) => (g * w).abs())]);
    }
}
