// Hooks later features attach to the training loop (mask enforcement, Fisher
// probes, mask schedules). Every method has an empty default.
using SparseLab.Foundations;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace SparseLab.Training;

/// <summary>What a callback may look at or change during training.</summary>
public sealed class TrainingContext
{
    public required TrainConfig Config { get; init; }
    public required nn.Module<Tensor, Tensor> Model { get; init; }
    public required OptimizerHelper Optimizer { get; init; }
    public required Device Device { get; init; }
    public required long TotalSteps { get; init; }
    public required int StepsPerEpoch { get; init; }
    /// <summary>Optimizer steps completed so far.</summary>
    public long Step { get; internal set; }
    /// <summary>0-based epoch in progress (or just finished, in OnEpochEnd).</summary>
    public int Epoch { get; internal set; }
    /// <summary>The mask in force (null: dense); a mask schedule sets it and keeps it current, and checkpoints save it.</summary>
    public Sparsity.Mask? Mask { get; set; }
    /// <summary>The mask saved with the checkpoint this run resumed from (null on a fresh start or when none was saved).</summary>
    public Sparsity.Mask? ResumedMask { get; internal set; }
    /// <summary>Writes an event to metrics.jsonl (the step is added).</summary>
    public required Action<string, IReadOnlyDictionary<string, object?>> Log { get; init; }
}

public interface ITrainingCallback
{
    /// <summary>Once before the first step (also after a resume).</summary>
    void OnTrainBegin(TrainingContext context) { }
    /// <summary>Gradients are computed; the optimizer has not stepped.</summary>
    void OnAfterBackward(TrainingContext context) { }
    /// <summary>The optimizer stepped; Step already counts this step.</summary>
    void OnAfterStep(TrainingContext context) { }
    /// <summary>An epoch ended and was evaluated; runs before the checkpoint is written.</summary>
    void OnEpochEnd(TrainingContext context, EpochMetrics metrics) { }
}

/// <summary>Receives progress for display; the library never writes to the console.</summary>
public interface ITrainingObserver
{
    void Begin(string title, long totalSteps, long startStep) { }
    void OnStep(long step, double loss, double accuracy, double lr) { }
    void OnEpoch(EpochMetrics metrics) { }
    void Message(string line) { }
    void End() { }
}

/// <param name="Task">What the numbers mean: a language model's Test is its validation split, losses in nats per token; a denoiser has no accuracy.</param>
public sealed record EpochMetrics(
    int Epoch, int Epochs, long Step, double Lr,
    double TrainLoss, double TrainAccuracy, Evaluation Test, Evaluation? Validation, double Seconds, Tasks.TrainingTask Task)
{
    /// <summary>One line for the log: the task's held-out numbers.</summary>
    public string Line() => $"epoch {Epoch}/{Epochs}: {Task.Describe(this)} | lr {Lr:G4} | {Seconds:F1}s";
}
