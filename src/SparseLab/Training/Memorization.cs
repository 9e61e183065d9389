// What a network trained with --label-noise did with its training set, as the
// seed's trainer_noisy.py records it: accuracy on the clean part, and on the
// flipped examples the fraction predicted as the noisy label it was trained on
// (memorized) and as the example's true label (generalized; Zhang et al. 2017,
// Arpit et al. 2017: a network fits the clean examples first and memorizes the
// flipped ones late). The rest of the flipped examples went to a third class.
using SparseLab.Data;
using TorchSharp;
using static TorchSharp.torch;

namespace SparseLab.Training;

/// <param name="CleanAccuracy">Top-1 accuracy on the examples whose labels were kept.</param>
/// <param name="Memorized">Fraction of the flipped examples predicted as their noisy label.</param>
/// <param name="Generalized">Fraction of the flipped examples predicted as their true label.</param>
public sealed record Memorization(double CleanAccuracy, double Memorized, double Generalized, long Flipped, long Clean)
{
    public static Memorization Measure(nn.Module<Tensor, Tensor> model, NoisyLabels noise, DatasetInfo info, int batchSize, Device device)
    {
        ArgumentNullException.ThrowIfNull(noise);
        using var scope = torch.NewDisposeScope();
        var clean = Evaluator.Predict(model, noise.Clean, info, batchSize, device);     // (clean)
        var flipped = Evaluator.Predict(model, noise.Noisy, info, batchSize, device);   // (flipped)
        var (memorized, generalized) = Fractions(flipped, noise.Noisy.Labels, noise.TrueLabels);
        return new Memorization(Fraction(clean.eq(noise.Clean.Labels.cpu())), memorized, generalized, noise.Noisy.Count, noise.Clean.Count);
    }

    /// <summary>Over the flipped examples: the fraction of predictions equal to the noisy label, and to the true label (0 and 0 when none).</summary>
    public static (double Memorized, double Generalized) Fractions(Tensor predicted, Tensor noisyLabels, Tensor trueLabels)
    {
        using var scope = torch.NewDisposeScope();
        var p = predicted.cpu();
        return (Fraction(p.eq(noisyLabels.cpu())), Fraction(p.eq(trueLabels.cpu())));
    }

    private static double Fraction(Tensor hits) => hits.numel() == 0 ? 0 : hits.to(ScalarType.Float64).mean().item<double>();
}
