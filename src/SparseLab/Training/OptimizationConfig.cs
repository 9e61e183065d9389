// How a run optimizes: its length, batch, optimizer and learning-rate schedule.
using SparseLab.Foundations;

namespace SparseLab.Training;

public sealed record OptimizationConfig : IConfigRecord
{
    [Option("Training epochs.")]
    public int Epochs { get; init; } = 10;

    [Option("Train for N optimizer steps instead of --epochs (give one of the two).")]
    public long? Steps { get; init; }

    [Option("Mini-batch size.")]
    public int BatchSize { get; init; } = 128;

    [Option("The optimizer: SGD (momentum, Nesterov, L2 weight decay as PyTorch applies it), Adam (L2 weight decay) or AdamW " +
        "(decoupled weight decay, Loshchilov & Hutter 2019, on weight matrices and embeddings only, not on biases and LayerNorms).", OneOf = typeof(OptimizerFactory))]
    public string Optimizer { get; init; } = "sgd";

    [Option("Peak learning rate.", Value = "X")]
    public double Lr { get; init; } = 0.05;

    [Option("SGD momentum.", Value = "X", Requires = ["Optimizer=sgd"])]
    public double Momentum { get; init; } = 0.9;

    [Option("Nesterov momentum.", Requires = ["Optimizer=sgd"])]
    public bool Nesterov { get; init; }

    [Option("Weight decay: L2 for sgd and adam, decoupled for adamw.", Value = "X")]
    public double WeightDecay { get; init; } = 5e-4;

    [Option("Clip the gradient's global L2 norm to X before every step (torch.nn.utils.clip_grad_norm_).", Value = "X")]
    public double? ClipGrad { get; init; }

    [Option("Adam's beta1.", Value = "X", Requires = ["Optimizer=adam|adamw"])]
    public double Beta1 { get; init; } = 0.9;

    [Option("Adam's beta2.", Value = "X", Requires = ["Optimizer=adam|adamw"])]
    public double Beta2 { get; init; } = 0.999;

    [Option("Learning-rate schedule after the warm-up: constant, step (× --gamma at each milestone) or cosine annealing to 0.", OneOf = typeof(LearningRateSchedule))]
    public string LrSchedule { get; init; } = "cosine";

    [Option("Step schedule: when the rate is multiplied by --gamma, comma-separated; epochs (80,120), steps (500it) or fractions of the run (0.5,0.75, which scale with --epochs).",
        Unit = DurationUnit.Epochs, Value = "WHEN")]
    public Duration[] Milestones { get; init; } = [];

    [Option("Step schedule factor.", Value = "X", Requires = ["LrSchedule=step"])]
    public double Gamma { get; init; } = 0.1;

    [Option("Linear warm-up length: epochs (1, 1.5ep), steps (500it) or a fraction of the run (0.05).", Unit = DurationUnit.Epochs, HashName = "WarmupEpochs")]
    public Duration Warmup { get; init; } = Duration.Epochs(0);

    public void Validate()
    {
        Check.Positive(Epochs, nameof(Epochs));
        Check.That(Steps is null or > 0, nameof(Steps), $"must be at least 1, got {Steps}");
        Check.That(Steps is null || Epochs == new OptimizationConfig().Epochs,   // the run's length is one of them, never both
            $"{ConfigError.Field(nameof(Epochs))} {Epochs} and {ConfigError.Field(nameof(Steps))} {Steps} both set the run's length; give one of them");
        Check.Positive(BatchSize, nameof(BatchSize));
        Check.That(Lr > 0, nameof(Lr), $"must be > 0, got {Check.Fmt(Lr)}");
        Check.Fraction(Momentum, nameof(Momentum));
        Check.That(!Nesterov || Momentum > 0, $"{ConfigError.Field(nameof(Nesterov))} needs {ConfigError.Field(nameof(Momentum))} above 0");
        Check.NotNegative(WeightDecay, nameof(WeightDecay));
        Check.That(ClipGrad is null or > 0, nameof(ClipGrad), $"must be > 0, got {ClipGrad}");
        Check.Fraction(Beta1, nameof(Beta1));
        Check.Fraction(Beta2, nameof(Beta2));
        Check.That(Gamma is > 0 and <= 1, nameof(Gamma), $"must be in (0, 1], got {Check.Fmt(Gamma)}");
        Check.That(Milestones.Length == 0 || LrSchedule == "step", $"{ConfigError.Field(nameof(Milestones))} only apply to {ConfigError.Field(nameof(LrSchedule))} step, not {LrSchedule}");
    }
}
