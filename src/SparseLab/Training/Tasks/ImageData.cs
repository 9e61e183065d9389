// Image classification data for the trainer: the dataset's splits (with the
// run's label noise applied to the training set), batches from BatchLoader
// (augmentation, a curriculum's rows) and evaluations from Evaluator.
using SparseLab.Data;
using static TorchSharp.torch;

namespace SparseLab.Training.Tasks;

public sealed class ImageData : TrainingData
{
    private readonly DataSplits _loaded;
    private readonly Dictionary<(int, Device), BatchLoader> _loaders = [];

    private ImageData(DataSplits loaded, NoisyLabels? noise)
    {
        _loaded = loaded;
        Noise = noise;
        Splits = noise is null ? loaded : loaded with { Train = noise.All };
        Input = new InputShape(Splits.Info.Channels, Splits.Info.Height, Splits.Info.Width, Splits.Info.NumClasses);
    }

    public static new ImageData Load(TrainConfig config, bool labelNoise = true)
    {
        var loaded = DatasetCatalog.Load(DataOptions.For(config.Data));
        try
        {
            var noise = labelNoise && config.Data.LabelNoise > 0 ? LabelNoise.Apply(loaded.Train, config.Data.LabelNoise, config.LabelNoiseSeed) : null;
            return new ImageData(loaded, noise);
        }
        catch
        {
            loaded.Dispose();
            throw;
        }
    }

    /// <summary>The splits trained and evaluated on: the training set as relabelled by --label-noise.</summary>
    public DataSplits Splits { get; }

    /// <summary>With --label-noise: the clean and the relabelled training examples.</summary>
    public NoisyLabels? Noise { get; }

    public override DataSplits Images => Splits;
    public override TrainingTask Task => TaskRegistry.Classification;
    public override InputShape Input { get; }
    public override long TrainCount => Splits.Train.Count;
    public override long TestCount => Splits.Test.Count;

    public override (Tensor Input, Tensor Target) Batch(int batchSize, long seed, int epoch, int index, long step, Device device, IBatchPlan? plan = null)
    {
        var loader = Loader(batchSize, device);
        return plan is null || !plan.Chooses(step) ? loader.Batch(seed, epoch, index) : loader.BatchOf(plan.Rows(step), seed, epoch, index);
    }

    public override IEnumerable<(Tensor Input, Tensor Target)> ScoringBatches(int batchSize, int count, long seed, Device device)
    {
        var loader = Loader(batchSize, device);
        return Enumerable.Range(0, Math.Min(count, loader.BatchesPerEpoch)).Select(i => loader.Batch(seed, 0, i));
    }

    public override Evaluation EvaluateTest(nn.Module<Tensor, Tensor> model, int batchSize, Device device) =>
        Evaluator.Evaluate(model, Splits.Test, Splits.Info, batchSize, device);

    public override Evaluation? EvaluateValidation(nn.Module<Tensor, Tensor> model, int batchSize, Device device) =>
        Splits.Validation is null ? null : Evaluator.Evaluate(model, Splits.Validation, Splits.Info, batchSize, device);

    public override Evaluation EvaluateTrain(nn.Module<Tensor, Tensor> model, int batchSize, Device device) =>
        Evaluator.Evaluate(model, Splits.Train, Splits.Info, batchSize, device);

    public override Curriculum.CurriculumExamples CurriculumExamples(TrainConfig config) => Curriculum.CurriculumExamples.Of(Splits.Train, Splits.Info);

    /// <summary>A small training set is probed whole.</summary>
    public override Information.FisherCallback FisherCallback(TrainConfig config, Sparsity.Mask? mask) =>
        Information.FisherCallback.ForImages(Splits.Train, Splits.Info, mask,
            TrainingRun.FisherOptionsFor(config) with { Samples = (int)Math.Min(config.Probes.FisherSamples, Splits.Train.Count) }, config.Probes.FisherEvery!);

    /// <summary>With --label-noise: train accuracy on the clean and the relabelled examples, and the memorized and generalized fractions.</summary>
    public override TrainingSummary Complete(TrainingSummary summary, RunEnd end)
    {
        if (Noise is null) return summary;
        var memorization = Memorization.Measure(end.Model, Noise, Splits.Info, end.BatchSize, end.Device);
        return summary with
        {
            TrainAccuracyClean = memorization.CleanAccuracy, TrainAccuracyNoisy = memorization.Memorized,
            MemorizedFraction = memorization.Memorized, GeneralizedFraction = memorization.Generalized,
        };
    }

    private BatchLoader Loader(int batchSize, Device device)
    {
        if (!_loaders.TryGetValue((batchSize, device), out var loader))
            _loaders[(batchSize, device)] = loader = new BatchLoader(Splits.Train, Splits.Info, batchSize, train: true, device);
        return loader;
    }

    public override void Dispose()
    {
        Noise?.Dispose();
        _loaded.Dispose();
    }
}
