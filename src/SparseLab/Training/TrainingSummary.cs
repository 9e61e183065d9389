// summary.json: the result of a finished run. Fractions, not percents.
// Train metrics come from a full evaluation pass over the training set in
// eval mode after training, not from running averages. For a language model
// the held-out split is the corpus' validation split: test_* and val_* are the
// same numbers there (test_accuracy: top-1 next-byte accuracy).
namespace SparseLab.Training;

public sealed record TrainingSummary
{
    public required string Model { get; init; }
    public required string Dataset { get; init; }
    public required long Seed { get; init; }
    public required int Epochs { get; init; }
    public required long Steps { get; init; }
    public required double TestAccuracy { get; init; }
    public required double TestLoss { get; init; }
    public double? TestTop5 { get; init; }
    public required double TrainAccuracy { get; init; }
    public required double TrainLoss { get; init; }
    /// <summary>With label noise: train accuracy (against the labels trained on) on the clean and on the relabelled examples.</summary>
    public double? TrainAccuracyClean { get; init; }
    public double? TrainAccuracyNoisy { get; init; }
    /// <summary>
    /// With label noise, on the relabelled (flipped) training examples: the fraction predicted as the noisy label trained on
    /// (memorized; the same number as train_accuracy_noisy) and as the true label (generalized). Their sum is at most 1.
    /// Null without label noise and in runs finished before they were recorded.
    /// </summary>
    public double? MemorizedFraction { get; init; }
    public double? GeneralizedFraction { get; init; }
    public double? ValAccuracy { get; init; }
    public double? ValLoss { get; init; }
    /// <summary>
    /// With a validation split: the epoch of the best validation accuracy (the first, on a tie), that accuracy, and the
    /// test accuracy and loss at that epoch (ModelSelection). BestTestAccuracy is the best test accuracy of any epoch: the
    /// seed code's save_best choice, which lets the test set pick the model (optimistic; for comparison only).
    /// </summary>
    public int? BestValEpoch { get; init; }
    public double? BestValAccuracy { get; init; }
    public double? BestValTestAccuracy { get; init; }
    public double? BestValTestLoss { get; init; }
    public double? BestTestAccuracy { get; init; }
    /// <summary>Language models: validation bits per character (byte) = val_loss / ln 2, and perplexity = e^val_loss (val_loss in nats per byte).</summary>
    public double? ValBpc { get; init; }
    public double? ValPerplexity { get; init; }
    /// <summary>Language models: bits per character of a unigram model of the training split on the validation split (TextCorpus), the baseline.</summary>
    public double? UnigramBpc { get; init; }
    /// <summary>
    /// Diffusion: the Fréchet LeNet distance of FidImages samples (DDIM, SampleSteps steps) against as many test images, and
    /// the test accuracy of the LeNet-5 whose 84-d features it compares (Diffusion/FrechetLeNet).
    /// </summary>
    public double? FrechetLenet { get; init; }
    public long? FidImages { get; init; }
    public int? SampleSteps { get; init; }
    public double? FrechetClassifierAccuracy { get; init; }
    /// <summary>Diffusion: the same distance for FidImages training images (the floor) and for draws from a Gaussian fitted to the training pixels (a weak baseline).</summary>
    public double? FrechetFloor { get; init; }
    public double? FrechetGaussian { get; init; }
    /// <summary>Measured fraction of exact zeros over prunable (Conv and Linear) weights.</summary>
    public double Sparsity { get; init; }
    public long NonzeroParams { get; init; }
    /// <summary>Forward multiply-accumulates of the Conv and Linear layers for one example, dense and with the zeros skipped.</summary>
    public long FlopsDense { get; init; }
    public long FlopsSparse { get; init; }
    /// <summary>Training FLOPs (3× forward per example at the mask of each step, Schedules/TrainingCost) and the same relative to dense training.</summary>
    public double? TrainFlops { get; init; }
    public double? TrainCostVsDense { get; init; }
    /// <summary>What the early phase (EarlyPhase: selection scoring, the Fisher penalty) added to TrainFlops; absent without one.</summary>
    public double? EarlyPhaseFlops { get; init; }
    public required long Params { get; init; }
    public required long TrainExamples { get; init; }
    public required long TestExamples { get; init; }
    public required double WallSeconds { get; init; }
}
