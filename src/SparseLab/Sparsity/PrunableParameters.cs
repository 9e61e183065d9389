// Which parameters pruning applies to: Conv and Linear weights (biases and
// BatchNorm stay dense, as in every reference implementation), and how many of
// them are exactly zero.
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace SparseLab.Sparsity;

public static class PrunableParameters
{
    /// <summary>
    /// (state-dict name, weight) of every Conv2d and Linear layer, in module order; optionally
    /// without the first layer (the input conv) or the last (the classifier), which many
    /// papers keep dense.
    /// </summary>
    public static IReadOnlyList<(string Name, Parameter Weight)> Of(nn.Module model, bool keepFirstDense = false, bool keepLastDense = false)
    {
        var all = All(model);
        int skipFirst = keepFirstDense ? 1 : 0, skipLast = keepLastDense ? 1 : 0;
        return all.Count <= skipFirst + skipLast ? [] : [.. all.Skip(skipFirst).Take(all.Count - skipFirst - skipLast)];
    }

    /// <summary>What a run's sparsity settings make prunable: keep-first/last-dense, and a language model's embeddings with --prune-embeddings.</summary>
    public static IReadOnlyList<(string Name, Parameter Weight)> For(nn.Module model, SparsityConfig sparsity)
    {
        var all = All(model, sparsity.PruneEmbeddings);
        int skipFirst = sparsity.KeepFirstDense ? 1 : 0, skipLast = sparsity.KeepLastDense ? 1 : 0;
        return all.Count <= skipFirst + skipLast ? [] : [.. all.Skip(skipFirst).Take(all.Count - skipFirst - skipLast)];
    }

    /// <param name="embeddings">Embedding tables count too (a GPT's token and position embeddings).</param>
    private static List<(string Name, Parameter Weight)> All(nn.Module model, bool embeddings = false)
    {
        var result = new List<(string, Parameter)>();
        foreach (var (name, module) in model.named_modules())
        {
            Parameter? w = module switch
            {
                Conv2d c => c.weight,
                Linear l => l.weight,
                Embedding e when embeddings => e.weight,
                _ => null,
            };
            if (w is not null) result.Add((name.Length == 0 ? "weight" : $"{name}.weight", w));
        }
        return result;
    }

    /// <summary>Measured fraction of exact zeros over the given weights.</summary>
    public static (double Sparsity, long Nonzero, long Total) Measure(IEnumerable<(string Name, Parameter Weight)> weights)
    {
        long total = 0, nonzero = 0;
        using var _ = torch.no_grad();
        foreach (var (_, w) in weights)
        {
            total += w.numel();
            nonzero += w.count_nonzero().item<long>();
        }
        return (total == 0 ? 0 : 1.0 - (double)nonzero / total, nonzero, total);
    }

    /// <summary>Measured fraction of exact zeros over all Conv2d and Linear weights.</summary>
    public static (double Sparsity, long Nonzero, long Total) Measure(nn.Module model) => Measure(Of(model));
}
