// How the curvature companions (METHODS §6) are measured: how many training
// examples define the loss, the batch size of each pass, the power-iteration
// and Hutchinson budgets, and the seed of their private random directions.
using SparseLab.Foundations;

namespace SparseLab.Information;

/// <param name="Samples">The first min(Samples, N) training examples define the loss L (mean cross-entropy).</param>
/// <param name="BatchSize">Examples per forward/backward pass; Hessian-vector products are summed over batches.</param>
/// <param name="PowerIterations">Power-iteration steps for the top Hessian eigenvalue (about 20, METHODS §6).</param>
/// <param name="HutchinsonSamples">Rademacher probes v whose vᵀHv are averaged for the Hessian trace.</param>
/// <param name="Seed">Seed of the private generators that draw the start vector and the probes.</param>
public sealed record CurvatureOptions(
    [property: Option("Training examples that define the loss (the first N).")]
    int Samples = 512,
    [property: Option("Examples per forward/backward pass.")]
    int BatchSize = 128,
    [property: Option("Power-iteration steps for the top Hessian eigenvalue.", Flag = "--iterations")]
    int PowerIterations = 20,
    [property: Option("Rademacher probes averaged for the Hutchinson trace estimate.", Flag = "--hutchinson")]
    int HutchinsonSamples = 20,
    [property: Option("Seed of the random start vector and probes.")]
    long Seed = 1) : IConfigRecord
{
    public void Validate()
    {
        Check.Positive(Samples, nameof(Samples));
        Check.Positive(BatchSize, nameof(BatchSize));
        Check.Positive(PowerIterations, nameof(PowerIterations));
        Check.Positive(HutchinsonSamples, nameof(HutchinsonSamples));
    }
}
