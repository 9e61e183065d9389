// Random pruning: i.i.d. uniform scores drawn from a generator seeded by the
// run's seed, so the same seed gives the same mask (the baseline of Tanaka et
// al. 2020, "Pruning neural networks without any data by iteratively
// conserving synaptic flow", and Liu et al. 2022). METHODS.md §2.
using TorchSharp;
using static TorchSharp.torch;

namespace SparseLab.Sparsity.Criteria;

public sealed class RandomCriterion : ScoreCriterion
{
    public override string Name => "random";
    public override string Description => "uniform random scores from the run's seed";
    public override bool NeedsData => false;

    protected override Dictionary<string, Tensor> ComputeScores(PruningRequest request)
    {
        // Drawn on the CPU in layer order, so the mask does not depend on the device.
        using var generator = new Generator(unchecked((ulong)request.Seed));
        return request.Prunable.ToDictionary(
            p => p.Name,
            p => torch.rand(p.Weight.shape, dtype: ScalarType.Float32, generator: generator).to(p.Weight.device),
            StringComparer.Ordinal);
    }
}
