// What differs between the kinds of learning SparseLab trains — image
// classification, byte-level language modelling, denoising diffusion — in one
// object per kind: which configs it takes, the recipe beneath their options,
// the options it refuses, its data, its loss and how its results rank.
// The loop, masks, kernels, probes and studies are shared; they ask the task
// (TaskRegistry.For(config), or TrainingData.Task) instead of branching on
// the dataset or the model.
using static TorchSharp.torch;

namespace SparseLab.Training.Tasks;

public abstract class TrainingTask
{
    /// <summary>The --task name.</summary>
    public abstract string Name { get; }

    /// <summary>Whether a config that names no --task is this task's, by its model and dataset.</summary>
    public abstract bool Claims(TrainConfig config);

    /// <summary>The task's training recipe, beneath the options given (null: the image classifier's defaults are the recipe).</summary>
    public virtual TrainConfig? Recipe => null;

    /// <summary>Refuses, with a ConfigError naming the option, what this task cannot train: before anything is read or written.</summary>
    public virtual void Refuse(TrainConfig config) =>
        Foundations.Check.That(!config.Diffusion.Given, $"{Foundations.ConfigError.Field("Diffusion.Noise.Name")}, {Foundations.ConfigError.Field("Diffusion.Noise.Steps")}, the β, sampling and Fréchet options " +
            $"apply to --task diffusion (--model {Models.ModelRegistry.Denoiser}), not to --task {Name}: drop them");

    /// <summary>The shape of one model input, without reading the data (for a saved run, FLOPs, export): the dataset's examples by default.</summary>
    public virtual Data.InputShape ModelInput(TrainConfig config) => Data.DatasetShapes.Of(config.Data.Dataset, config.Model.BlockSize);

    /// <summary>What a message says a config trains, e.g. "--task diffusion" or "the text dataset fortunes".</summary>
    public virtual string Subject(TrainConfig config) => $"--task {Name}";

    /// <summary>The task's data for a config that passed <see cref="Refuse"/>.</summary>
    /// <param name="labelNoise">Whether the training labels are the run's (--label-noise applied) or the dataset's own.</param>
    public abstract TrainingData Load(TrainConfig config, bool labelNoise);

    /// <summary>The task's data with at most <paramref name="examples"/> held-out examples (and as many training ones evaluated), for probes such as linear paths.</summary>
    public virtual TrainingData LoadEvaluation(TrainConfig config, long examples) =>
        Load(config with { Data = config.Data with { LimitTest = Math.Min(examples, config.Data.LimitTest ?? long.MaxValue) } }, labelNoise: true);

    /// <summary>The training loss of the model's output against the batch's target, a mean over the batch (or its tokens) by default.</summary>
    public abstract Tensor Loss(Tensor output, Tensor target, nn.Reduction reduction = nn.Reduction.Mean);

    /// <summary>Correct top-1 predictions in a batch (examples or tokens); a task without an accuracy counts none.</summary>
    public virtual long Hits(Tensor output, Tensor target) => output.argmax(-1).eq(target).sum().item<long>();

    /// <summary>Whether the task's accuracy means anything (a denoiser has none: its results are losses).</summary>
    public virtual bool HasAccuracy => true;

    /// <summary>Whether the study methods that score labelled images (EL2N, pruning at initialization) and the curvature probes apply.</summary>
    public virtual bool ClassifiesImages => false;

    /// <summary>Whether the run can track its Fisher trace (--fisher-every): per example for images, per sequence for text.</summary>
    public virtual bool HasFisherProbe => true;

    /// <summary>What a gap study's report reads its verdict from (GapStudyResult's metrics: accuracy, loss, denoising-loss).</summary>
    public virtual string StudyMetric => "accuracy";

    /// <summary>Whether methods rank by held-out loss (lower is better) rather than by accuracy.</summary>
    public virtual bool RanksByLoss => false;

    /// <summary>An epoch's numbers as a log line shows them.</summary>
    public virtual string Describe(EpochMetrics m) =>
        $"train loss {m.TrainLoss:F4} acc {m.TrainAccuracy:F4} | test loss {m.Test.Loss:F4} acc {m.Test.Accuracy:F4}" +
        (m.Test.Top5 is { } t5 ? $" top5 {t5:F4}" : "") + (m.Validation is { } v ? $" | val acc {v.Accuracy:F4}" : "");

    /// <summary>The epoch's headline number, beside a progress bar.</summary>
    public virtual string Headline(EpochMetrics m) => $"test acc {m.Test.Accuracy:F4}";

    /// <summary>What metrics.jsonl and TensorBoard record of an epoch beyond its losses and accuracies (a language model's bits per character).</summary>
    public virtual IReadOnlyDictionary<string, double> Extra(EpochMetrics m) => new Dictionary<string, double>();

    public override string ToString() => Name;
}
