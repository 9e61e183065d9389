// How to measure the Fisher trace (METHODS §6): probe-set size, draws ŷ ~ p_θ(·|x) per example for the true
// Fisher, batch size, the seed of the probe set and of the draws, and the per-example method (fast | naive).
namespace SparseLab.Information;

public sealed record FisherOptions(int Samples = 1024, int Draws = 1, int BatchSize = 128, long Seed = 1, string Method = "fast")
{
    /// <summary>The per-example methods: fast (one backward per batch) and naive (one backward per example).</summary>
    public static Foundations.NameSet Names { get; } = new("fast", "naive");
}
