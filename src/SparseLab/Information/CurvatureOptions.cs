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
public sealed record CurvatureOptions(int Samples = 512, int BatchSize = 128, int PowerIterations = 20, int HutchinsonSamples = 20, long Seed = 1)
{
    /// <summary>Throws InvalidOptionException naming the CLI option of the first bad field.</summary>
    public void Validate()
    {
        if (Samples < 1)
            throw new InvalidOptionException($"--samples {Samples}: must be a positive number of training examples (default 512)");
        if (BatchSize < 1)
            throw new InvalidOptionException($"--batch-size {BatchSize}: must be at least 1");
        if (PowerIterations < 1)
            throw new InvalidOptionException($"--iterations {PowerIterations}: power iteration needs at least 1 step (default 20)");
        if (HutchinsonSamples < 1)
            throw new InvalidOptionException($"--hutchinson {HutchinsonSamples}: the trace estimate needs at least 1 probe (default 20)");
    }
}
