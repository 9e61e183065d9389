// A sparsity distribution (METHODS.md §2, "Scores are applied with a
// distribution"): turns per-weight scores (keep the HIGHEST) into a mask with
// a given total sparsity. Global, uniform and ERK (Evci et al. 2020, RigL).
using static TorchSharp.torch;

namespace SparseLab.Sparsity;

public interface ISparsityBudget
{
    /// <summary>The registry name: "global", "uniform" or "erk".</summary>
    string Name { get; }

    /// <summary>
    /// Keeps the highest scores so that the total sparsity over the layers in
    /// <paramref name="scores"/> equals <paramref name="sparsity"/> to within one
    /// weight per layer. NaN scores count as −∞. Zeros of <paramref name="current"/>
    /// are never kept and count toward the sparsity; a layer asked to keep more than
    /// its survivors keeps all of them (and the total then falls short).
    /// </summary>
    /// <param name="scores">Layer name → float scores of the weight's shape, on any device.</param>
    /// <param name="sparsity">Target fraction of zeros, in [0, 1).</param>
    /// <param name="current">An existing mask whose zeros stay zero; layers it lacks are unrestricted.</param>
    /// <returns>A new mask over exactly the layers in <paramref name="scores"/>, on the scores' device.</returns>
    /// <exception cref="Foundations.InvalidOptionException">Sparsity out of range, or per-layer overrides that cannot meet the target.</exception>
    Mask Select(IReadOnlyDictionary<string, Tensor> scores, double sparsity, Mask? current = null);

    /// <summary>
    /// How many weights each layer of these shapes keeps at this total sparsity.
    /// The global budget depends on the scores and throws <see cref="NotSupportedException"/>.
    /// </summary>
    IReadOnlyDictionary<string, long> KeepCounts(IReadOnlyList<(string Name, long[] Shape)> layers, double sparsity);
}
