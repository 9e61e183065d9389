// What a pruning criterion needs to score a model: the weights to prune, the
// target sparsity and how to spread it (the budget), labelled batches for the
// data-dependent criteria (SNIP, GraSP, Fisher), the input shape for the
// data-free SynFlow, the run's seed, and the mask already in force.
using SparseLab.Data;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace SparseLab.Sparsity.Criteria;

/// <param name="Model">The model; criteria never change its weights, buffers or training mode.</param>
/// <param name="Prunable">The weights to prune (others stay dense).</param>
/// <param name="Sparsity">Target sparsity over <paramref name="Prunable"/>, in [0, 1).</param>
/// <param name="Budget">How the sparsity is spread over layers.</param>
/// <param name="ScoringBatches">Labelled batches on the model's device; a fresh enumeration each call.</param>
/// <param name="Input">Input shape, for the data-free SynFlow.</param>
/// <param name="Seed">Seed for the random criterion.</param>
/// <param name="Current">Already-pruned positions, which stay pruned.</param>
/// <param name="Spec">The model's registry spec, when known: lets SynFlow score a float64 replica.</param>
public sealed record PruningRequest(
    nn.Module<Tensor, Tensor> Model,
    IReadOnlyList<(string Name, Parameter Weight)> Prunable,
    double Sparsity,
    ISparsityBudget Budget,
    Func<IEnumerable<(Tensor Input, Tensor Labels)>> ScoringBatches,
    InputShape Input,
    long Seed,
    Mask? Current = null,
    SparseLab.Models.ModelSpec? Spec = null);
