// The denoising-diffusion options of a run (--task diffusion): the forward
// process (NoiseSchedule: T and the β schedule) and how the run's samples are
// scored at its end (DDIM steps, images for the Fréchet LeNet distance). Any
// of them set on another task is refused (TrainingTask.Refuse): it would be
// ignored.
using SparseLab.Foundations;

namespace SparseLab.Diffusion;

public sealed record DiffusionConfig : IConfigRecord
{
    public NoiseSchedule Noise { get; init; } = new();

    [Option("DDIM steps (Song et al. 2021, deterministic) of the samples scored at the end of a diffusion run; at most --diffusion-steps.", Value = "S")]
    public int SampleSteps { get; init; } = 50;

    [Option("Images sampled and test images compared for the Fréchet LeNet distance at the end of a diffusion run (0: none); more than 84, the features compared.", Value = "N")]
    public int FidImages { get; init; } = 1000;

    [Option("Clip each DDIM step's estimate of x_0 to the pixel range (DDPM's clip_denoised), not only the last; off by default: measured worse (docs/diffusion.md).")]
    public bool ClipEachStep { get; init; }

    /// <summary>Whether any option differs from its default (refused on a task that is not diffusion).</summary>
    public bool Given => this with { Noise = new NoiseSchedule() } != new DiffusionConfig() || Noise != new NoiseSchedule();

    public void Validate()
    {
        Check.Section(Noise, nameof(Noise));
        Check.That(SampleSteps >= 1 && SampleSteps <= Noise.Steps, nameof(SampleSteps),
            $"must be in 1..{Noise.Steps} (--diffusion-steps), got {SampleSteps}");
        Check.That(FidImages == 0 || FidImages > FrechetLeNet.FeatureCount, nameof(FidImages),
            $"{FidImages} images in {FrechetLeNet.FeatureCount} features give a singular covariance: use at least {FrechetLeNet.FeatureCount + 1}, or 0 for no score");
    }
}
