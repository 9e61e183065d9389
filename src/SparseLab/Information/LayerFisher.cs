// One layer's share of the Fisher trace (METHODS §6): true and empirical.
namespace SparseLab.Information;

public sealed record LayerFisher(double True, double Empirical);
