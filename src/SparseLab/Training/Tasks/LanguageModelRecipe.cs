// How a GPT trains when the options leave it open: the character-level recipe
// of nanoGPT's shakespeare_char (Karpathy; GPT-2's AdamW with decoupled weight
// decay 0.1 on the matrices, a warm-up of 5 % of the run, then cosine decay,
// gradient clipping at norm 1, β2 = 0.99 for small batches) at batch 32
// windows of 128 bytes (4,096 tokens a step) to fit two CPU cores, and lr 3e-3:
// the best of 3e-4, 1e-3 and 3e-3 after 400 steps on fortunes (validation
// 3.84, 3.62 and 3.34 bits per character; README). The image defaults (SGD at
// 0.05, batch 128, L2 5e-4) would train a transformer badly. Options given on
// the command line or in a config file override every field.
using SparseLab.Data;
using SparseLab.Foundations;
using SparseLab.Models;

namespace SparseLab.Training.Tasks;

public static class LanguageModelRecipe
{
    public static TrainConfig Defaults { get; } = new()
    {
        Data = new DataConfig { Dataset = "fortunes" },
        Model = new ModelConfig { Name = ModelRegistry.LanguageModel },
        Optimization = new OptimizationConfig
        {
            Optimizer = "adamw", Lr = 3e-3, BatchSize = 32, WeightDecay = 0.1, Beta1 = 0.9, Beta2 = 0.99,
            Warmup = Duration.Fraction(0.05), ClipGrad = 1.0, LrSchedule = "cosine",
        },
    };
}
