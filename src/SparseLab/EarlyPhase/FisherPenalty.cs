// The Fisher penalty of Jastrzebski et al., "Catastrophic Fisher explosion: early phase Fisher matrix
// impacts generalization" (ICLR 2021 submission; ICML 2021, arXiv 2012.14193), their Fisher-penalty
// equation (Eq. 2 of the ICML version as we recall it; the text was not reachable to re-check the number):
//     ℓ'(x_{1:B}, y_{1:B}; θ) = ℓ(x_{1:B}, y_{1:B}; θ) + α ‖(1/B) Σ_i ∇θ ℓ(x_i, ŷ_i; θ)‖²,  ŷ_i ~ p_θ(y|x_i),
// i.e. the squared norm of the gradient of the mini-batch loss at labels sampled from the model, which
// estimates Tr F. The labels are sampled from the detached logits (no gradient flows through the draw);
// the gradient is taken with create_graph, so the backward pass differentiates through it (double
// backprop). A masked weight's gradient counts as ∇W ⊙ M (the sparse network's parameters only).
// Applied during the early phase (the first t* steps) only; the paper applies it from the start of
// training, every step here (they also report cheaper variants).
using SparseLab.Data;
using SparseLab.Sparsity;
using SparseLab.Training;
using SparseLab.Training.Tasks;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace SparseLab.EarlyPhase;

public sealed class FisherPenalty(double weight, long earlySteps, long seed) : ILossTerm
{
    private const long LabelStream = 0x46504C42;   // "FPLB": the labels ŷ of each step

    /// <summary>
    /// Forward-pass equivalents the penalty adds per example: the backward at ŷ (2) and differentiating that backward in
    /// the final backward pass (about twice its cost, 4; Pearlmutter 1994's estimate for a Hessian-vector product).
    /// </summary>
    public const double PassesPerExample = 6;

    private List<(string Name, Parameter Parameter)> _parameters = [];

    public void Begin(TrainingContext context) =>
        _parameters = [.. context.Model.named_parameters().Where(p => p.parameter.requires_grad)];

    public Tensor? Term(TrainingContext context, Tensor logits)
    {
        if (context.Step >= earlySteps) return null;
        using var generator = new Generator(SeedMix.Mix(seed, LabelStream, context.Step), logits.device);
        return SquaredGradientNorm(logits, SampleLabels(logits, generator), _parameters, context.Mask) * weight;
    }

    /// <summary>ŷ ~ softmax(logits) per example (or per token), from the detached logits.</summary>
    public static Tensor SampleLabels(Tensor logits, Generator generator)
    {
        using var noGrad = torch.no_grad();
        var p = nn.functional.softmax(logits.detach().reshape(-1, logits.shape[^1]).to(ScalarType.Float64), 1);   // (B, classes)
        return torch.multinomial(p, 1, replacement: true, generator: generator).reshape(logits.shape[..^1]);     // (B)
    }

    /// <summary>‖∇θ L_B(ŷ)‖² with L_B the mean loss of the batch at labels ŷ, differentiable in θ (create_graph).</summary>
    public static Tensor SquaredGradientNorm(Tensor logits, Tensor labels, IReadOnlyList<(string Name, Parameter Parameter)> parameters, Mask? mask)
    {
        var loss = CrossEntropy.Of(logits, labels);                                              // L_B(ŷ), a mean over the batch
        var grads = torch.autograd.grad([loss], [.. parameters.Select(p => (Tensor)p.Parameter)], retain_graph: true, create_graph: true, allow_unused: true);   // the step's backward still needs the forward graph
        Tensor? sum = null;
        for (int i = 0; i < parameters.Count; i++)
        {
            var g = grads[i];
            if (g is null) continue;
            if (mask is not null && mask.Contains(parameters[i].Name)) g = g * mask[parameters[i].Name].to(g.dtype, g.device);
            var s = g.square().sum();
            sum = sum is null ? s : sum + s;
        }
        return sum ?? torch.zeros([], logits.dtype, logits.device);
    }
}
