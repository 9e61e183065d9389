// Pieces the data-dependent criteria share: the mean cross-entropy of a batch
// and the gradient of a scalar with respect to the prunable weights, taken with
// torch.autograd.grad so no parameter's .grad is ever written.
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace SparseLab.Sparsity.Criteria;

internal static class CriterionSupport
{
    public static Tensor[] Weights(PruningRequest request) => [.. request.Prunable.Select(p => (Tensor)p.Weight)];

    /// <summary>Mean cross-entropy of the batch; logits divided by <paramref name="temperature"/>.</summary>
    public static Tensor Loss(nn.Module<Tensor, Tensor> model, Tensor input, Tensor labels, double temperature = 1.0)
    {
        var logits = model.forward(input);                         // (B, classes)
        if (temperature != 1.0) logits = logits / temperature;
        return nn.functional.cross_entropy(logits, labels);
    }

    public static Tensor[] Grad(Tensor scalar, Tensor[] weights, bool createGraph = false) =>
        [.. torch.autograd.grad([scalar], weights, retain_graph: createGraph, create_graph: createGraph)];

    /// <summary>Name -> score, detached, for the budget.</summary>
    public static Dictionary<string, Tensor> Named(IReadOnlyList<(string Name, Parameter Weight)> prunable, IReadOnlyList<Tensor> scores)
    {
        var result = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        for (int i = 0; i < prunable.Count; i++) result[prunable[i].Name] = scores[i].detach();
        return result;
    }

    /// <summary>Scores moved out of the caller's dispose scope (the caller owns them).</summary>
    public static IReadOnlyDictionary<string, Tensor> Escape(Dictionary<string, Tensor> scores)
    {
        foreach (var t in scores.Values) t.MoveToOuterDisposeScope();
        return scores;
    }

    public static Foundations.InvalidOptionException NoBatches(string criterion) =>
        new($"pruning criterion '{criterion}' needs labelled scoring batches, and none were given");
}
