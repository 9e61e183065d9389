// GraSP, gradient signal preservation (Wang, Zhang & Grosse 2020, "Picking
// Winning Tickets Before Training by Preserving Gradient Flow", Eq. 8 and
// Algorithm 1): S = −w ⊙ (H g), g = ∂L/∂w, H the Hessian of L. Algorithm 1
// removes the weights with the LARGEST S, so the keep-score handed to the
// budget (which keeps the highest) is −S = w ⊙ (H g).
// As in the reference code: logits are divided by a temperature T = 200;
// g is summed over the scoring batches and detached, then H g = ∂(gᵀ ∂L_b/∂w)/∂w
// summed over batches (double backward); train mode (BatchNorm batch
// statistics), with running statistics and mode restored afterwards.
using TorchSharp;
using static TorchSharp.torch;

namespace SparseLab.Sparsity.Criteria;

public sealed class GraspCriterion(double temperature = GraspCriterion.DefaultTemperature) : ScoreCriterion
{
    /// <summary>The reference implementation's softmax temperature.</summary>
    public const double DefaultTemperature = 200.0;

    public override string Name => "grasp";
    public override string Description => "w ⊙ Hg: keeps weights whose removal would most reduce gradient flow (GraSP, Wang et al. 2020)";
    public override bool NeedsData => true;

    public double Temperature { get; } = temperature > 0
        ? temperature
        : throw new Foundations.InvalidOptionException($"GraSP temperature {temperature} is not valid; use a positive number such as {DefaultTemperature}");

    protected override Dictionary<string, Tensor> ComputeScores(PruningRequest request)
    {
        using var guard = new ModelStateGuard(request.Model);
        ModelStateGuard.ApplyMask(request.Prunable, request.Current);
        request.Model.train();
        var weights = CriterionSupport.Weights(request);

        // Pass 1: g = Σ_b ∂L_b/∂w, treated as a constant vector.
        Tensor[]? g = null;
        foreach (var (input, labels) in request.ScoringBatches())
        {
            using var step = torch.NewDisposeScope();
            var gb = CriterionSupport.Grad(CriterionSupport.Loss(request.Model, input, labels, Temperature), weights);
            g = g is null ? gb : [.. g.Zip(gb, (a, b) => a + b)];
            foreach (var t in g) t.MoveToOuterDisposeScope();
        }
        if (g is null) throw CriterionSupport.NoBatches(Name);

        // Pass 2: Hg = Σ_b ∂(gᵀ ∂L_b/∂w)/∂w, a Hessian-vector product by double backward.
        Tensor[]? hg = null;
        foreach (var (input, labels) in request.ScoringBatches())
        {
            using var step = torch.NewDisposeScope();
            var gb = CriterionSupport.Grad(CriterionSupport.Loss(request.Model, input, labels, Temperature), weights, createGraph: true);
            var z = gb.Zip(g, (a, c) => (a * c).sum()).Aggregate((a, b) => a + b);
            var hgb = CriterionSupport.Grad(z, weights);
            hg = hg is null ? hgb : [.. hg.Zip(hgb, (a, b) => a + b)];
            foreach (var t in hg) t.MoveToOuterDisposeScope();
        }

        using var noGrad = torch.no_grad();
        return CriterionSupport.Named(request.Prunable, [.. hg!.Zip(weights, (h, w) => w * h)]);
    }
}
