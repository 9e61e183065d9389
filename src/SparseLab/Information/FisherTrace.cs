// The Fisher trace on a probe set (METHODS §6): true (sampled labels) and empirical (dataset labels), totals and
// per layer (module path); the per-layer values sum to the totals.
namespace SparseLab.Information;

public sealed record FisherTrace(double True, double Empirical, IReadOnlyDictionary<string, LayerFisher> PerLayer, int Samples);
