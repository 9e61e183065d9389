// The data of a run as the trainer sees it, whatever its kind: seeded training
// batches, the loss, batches for data-dependent pruning, and evaluations on the
// held-out split and the training split. Images (ImageData: Fashion-MNIST,
// CIFAR, ... through BatchLoader and Evaluator) or text (TextData: windows of
// --block-size bytes of a corpus, next-byte targets).
using SparseLab.Data;
using SparseLab.Models;
using static TorchSharp.torch;

namespace SparseLab.Training.Tasks;

/// <summary>What a task's end-of-run measures may use: the trained model, the run's batch size, device and folder, and where to say what it does.</summary>
public sealed record RunEnd(nn.Module<Tensor, Tensor> Model, int BatchSize, Device Device, RunFolder Run, ITrainingObserver Observer);

public abstract class TrainingData : IDisposable
{
    /// <summary>The data of the config's task, with its checks (ConfigError / DataException naming the input).</summary>
    /// <param name="labelNoise">Whether the training labels are the run's (--label-noise applied) or the dataset's own.</param>
    public static TrainingData Load(TrainConfig config, bool labelNoise = true) => TaskRegistry.For(config).Load(config, labelNoise);

    /// <summary>The task this data is for: its loss, metrics and ranking.</summary>
    public abstract TrainingTask Task { get; }

    /// <summary>The shape of one example: an image, or a window of block-size tokens.</summary>
    public abstract InputShape Input { get; }

    /// <summary>Examples in one epoch: training images, or windows of the block size that cover the training split once.</summary>
    public abstract long TrainCount { get; }

    /// <summary>Examples the held-out evaluation reads (test images, or validation windows).</summary>
    public abstract long TestCount { get; }

    /// <summary>The images, for what only works on images (the image Fisher probe, label noise); null for text.</summary>
    public virtual DataSplits? Images => null;

    public int StepsPerEpoch(int batchSize) => (int)((TrainCount + batchSize - 1) / batchSize);

    /// <summary>The training batch at (epoch, index), step counting every batch before it; the same for the same arguments, always.</summary>
    /// <param name="plan">Which rows the batch holds when a data curriculum chooses them (images, or text windows).</param>
    public abstract (Tensor Input, Tensor Target) Batch(int batchSize, long seed, int epoch, int index, long step, Device device, IBatchPlan? plan = null);

    /// <summary>The first <paramref name="count"/> training batches for a data-dependent criterion or calibration.</summary>
    public abstract IEnumerable<(Tensor Input, Tensor Target)> ScoringBatches(int batchSize, int count, long seed, Device device);

    /// <summary>The held-out split: the test images, or the corpus' validation split.</summary>
    public abstract Evaluation EvaluateTest(nn.Module<Tensor, Tensor> model, int batchSize, Device device);

    /// <summary>Whether the held-out split is a validation split (text: the corpus' last 10 %), so its numbers are the run's val_* too.</summary>
    public virtual bool HeldOutIsValidation => false;

    /// <summary>The held-out and the validation evaluations; a text's validation is its held-out split, evaluated once.</summary>
    public (Evaluation Test, Evaluation? Validation) EvaluateHeldOut(nn.Module<Tensor, Tensor> model, int batchSize, Device device)
    {
        var test = EvaluateTest(model, batchSize, device);
        return (test, HeldOutIsValidation ? test : EvaluateValidation(model, batchSize, device));
    }

    /// <summary>The validation images held out of the training file (--val); null when there are none (text has no third split).</summary>
    public abstract Evaluation? EvaluateValidation(nn.Module<Tensor, Tensor> model, int batchSize, Device device);

    /// <summary>The training split, in eval mode: every image, or fixed windows spread over the training text.</summary>
    public abstract Evaluation EvaluateTrain(nn.Module<Tensor, Tensor> model, int batchSize, Device device);

    /// <summary>The task's loss of the model's output for a batch against its target (a mean by default).</summary>
    public Tensor Loss(Tensor output, Tensor target, nn.Reduction reduction = nn.Reduction.Mean) => Task.Loss(output, target, reduction);

    /// <summary>The task's correct top-1 predictions in a batch (none for a task without an accuracy).</summary>
    public long Hits(Tensor output, Tensor target) => Task.Hits(output, target);

    /// <summary>The training examples a curriculum orders (images, or the windows that tile the text); null where none can be ordered.</summary>
    public abstract Curriculum.CurriculumExamples? CurriculumExamples(TrainConfig config);

    /// <summary>The --fisher-every probe of this data's training split.</summary>
    public abstract Information.FisherCallback FisherCallback(TrainConfig config, Sparsity.Mask? mask);

    /// <summary>The summary with what only this task measures at the end of a run (memorization under label noise, a text's unigram baseline).</summary>
    public virtual TrainingSummary Complete(TrainingSummary summary, RunEnd end) => summary;

    public abstract void Dispose();
}
