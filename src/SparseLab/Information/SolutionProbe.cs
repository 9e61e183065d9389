// Measures a trained network at its solution the way Ye et al. 2022 ("The
// Price of Sparsity", Table 2) compare Sol-S with Sol-F: the curvature
// companions (CurvatureProbe: top Hessian eigenvalue, Hessian trace,
// input-Jacobian norm), the Monte-Carlo true Fisher trace (FisherProbe: labels
// drawn from the model's predictive distribution) and the mean prediction
// entropy, all on the same first N training examples, in eval mode.
using SparseLab.Data;
using SparseLab.Sparsity;
using static TorchSharp.torch;

namespace SparseLab.Information;

public static class SolutionProbe
{
    /// <param name="curvature">Samples, batch size, budgets and the seed; the Fisher draws and the probe set use the same seed and examples.</param>
    /// <param name="fisherDraws">Labels drawn per example for the true Fisher trace (METHODS §6; the study passes --fisher-draws).</param>
    public static SolutionMeasures Measure(nn.Module<Tensor, Tensor> model, Dataset train, DatasetInfo info, Mask? mask,
        CurvatureOptions curvature, int fisherDraws, Device device)
    {
        ArgumentNullException.ThrowIfNull(curvature);
        var c = CurvatureProbe.Measure(model, train, info, mask, curvature, device);
        using var examples = train.Slice(0, c.Samples);   // FisherProbe permutes its probe set: the whole slice, so the same examples
        var fisher = FisherProbe.Measure(model, examples, info, mask,
            new FisherOptions(Samples: c.Samples, Draws: fisherDraws, BatchSize: curvature.BatchSize, Seed: curvature.Seed), device);
        double entropy = PredictionEntropy.Mean(model, examples, info, curvature.BatchSize, device);
        return new SolutionMeasures(c, fisher.True, entropy, c.Samples, fisherDraws);
    }
}
