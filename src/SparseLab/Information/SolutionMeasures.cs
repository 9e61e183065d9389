// What the solution probe measures on one network (Ye et al. 2022, Table 2): the curvature companions, the Monte-Carlo
// true Fisher trace and the mean prediction entropy, all on the same training examples, with the sample counts.
namespace SparseLab.Information;

/// <param name="FisherTrace">Mean over the examples of ‖∇θ log p(ŷ|x)‖², ŷ ~ p_θ(·|x), averaged over <paramref name="FisherDraws"/> draws (FisherProbe).</param>
/// <param name="PredictionEntropy">Mean over the examples of −Σ_c p_c ln p_c, in nats.</param>
/// <param name="Samples">Training examples measured on (the first N), for every measure.</param>
public sealed record SolutionMeasures(Curvature Curvature, double FisherTrace, double PredictionEntropy, int Samples, int FisherDraws);
