// The data of a run as the trainer sees it, whatever its kind: seeded training
// batches, the loss, batches for data-dependent pruning, and evaluations on the
// held-out split and the training split. Images (ImageData: Fashion-MNIST,
// CIFAR, ... through BatchLoader and Evaluator) or text (TextData: windows of
// --block-size bytes of a corpus, next-byte targets).
using SparseLab.Data;
using SparseLab.Models;
using static TorchSharp.torch;

namespace SparseLab.Training.Tasks;

public abstract class TrainingData : IDisposable
{
    /// <summary>The images or the text a config names, with its checks (ConfigError / DataException naming the input).</summary>
    /// <param name="labelNoise">Whether the training labels are the run's (--label-noise applied) or the dataset's own.</param>
    public static TrainingData Load(TrainConfig config, bool labelNoise = true) =>
        DatasetCatalog.IsText(config.Data.Dataset) ? TextData.Load(config) : ImageData.Load(config, labelNoise);

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

    /// <summary>Cross-entropy of logits (B, classes) against labels (B), or of next-token logits (B, T, V) against targets (B, T), per example or token.</summary>
    public static Tensor Loss(Tensor logits, Tensor targets, nn.Reduction reduction = nn.Reduction.Mean) => logits.dim() == 3
        ? nn.functional.cross_entropy(logits.reshape(-1, logits.shape[^1]), targets.reshape(-1), reduction: reduction)
        : nn.functional.cross_entropy(logits, targets, reduction: reduction);

    /// <summary>Correct top-1 predictions among the examples (images) or tokens (text) of a batch.</summary>
    public static long Hits(Tensor logits, Tensor targets) => logits.argmax(-1).eq(targets).sum().item<long>();

    public abstract void Dispose();
}
