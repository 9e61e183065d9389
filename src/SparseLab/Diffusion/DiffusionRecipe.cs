// How a diffusion run trains when the options leave it open: Adam without
// weight decay, gradient clipping at norm 1 and a short warm-up, as DDPM
// (Ho et al. 2020, Appendix B) trains, at batch 64 and a learning rate for
// runs of thousands rather than hundreds of thousands of steps. Options
// given on the command line or in a config file override every field.
using SparseLab.Foundations;
using SparseLab.Models;
using SparseLab.Training;

namespace SparseLab.Diffusion;

public static class DiffusionRecipe
{
    public static TrainConfig Defaults { get; } = new()
    {
        Model = new ModelConfig { Name = ModelRegistry.Denoiser },
        Optimization = new OptimizationConfig
        {
            Optimizer = "adam", Lr = 1e-3, BatchSize = 64, WeightDecay = 0, Beta1 = 0.9, Beta2 = 0.999,
            Warmup = Duration.Fraction(0.05), ClipGrad = 1.0, LrSchedule = "cosine",
        },
    };
}
