// Denoising-diffusion data for the trainer: the images of an image dataset
// (labels unused) scaled to [-1, 1], each training batch noised to a seeded
// random timestep, x_t = √ᾱ_t x_0 + √(1 − ᾱ_t) ε (Ho et al. 2020, Eq. 4),
// the model's input x_t with its t (DiffusionInput), the target ε. The noise
// and timesteps of batch `step` come from a generator seeded by (seed, step),
// so a resumed run sees the same batches. Evaluations are the denoising loss
// on fixed noise and timesteps per image: the held-out split's test images,
// and as many training images.
using SparseLab.Data;
using SparseLab.Training;
using SparseLab.Training.Tasks;
using TorchSharp;
using static TorchSharp.torch;

namespace SparseLab.Diffusion;

/// <summary>A sample set's Fréchet LeNet distance, its two references, and the feature extractor's test accuracy.</summary>
public sealed record SampleScore(double Distance, double Floor, double Gaussian, double ClassifierAccuracy);

public sealed class DiffusionData : TrainingData
{
    private const long EvaluationSeed = 0x0D1FF05E;   // the fixed noise of every evaluation, the same for every run
    private const int EvaluationChunk = 256;          // images per evaluation batch and per noise seed, whatever the run's batch size
    private const long SampleSeed = 0x5A3D1E5;        // the starting noise of the scored samples: the same for every run, so runs compare image for image
    private const int GridImages = 64;                // samples.png in the run folder
    private const int GaussianFitImages = 10_000;     // training images the Gaussian baseline is fitted to

    private readonly DataSplits _splits;
    private readonly DatasetInfo _pixels;             // [0, 1] → [-1, 1]: mean 0.5, std 0.5 per channel
    private readonly Dictionary<(int, Device), BatchLoader> _loaders = [];

    private readonly double[] _alphaBars;             // ᾱ_t at index t − 1

    private readonly TrainConfig _config;

    private DiffusionData(TrainConfig config, DataSplits splits, NoiseSchedule schedule)
    {
        _config = config;
        _splits = splits;
        Schedule = schedule;
        _alphaBars = schedule.AlphaBars();
        var info = splits.Info;
        _pixels = info with { Mean = [.. info.Mean.Select(_ => 0.5f)], Std = [.. info.Std.Select(_ => 0.5f)] };
        Input = InputFor(new InputShape(info.Channels, info.Height, info.Width, info.NumClasses));
    }

    /// <summary>The model input for images of this shape: (C + 1, H, W), predicting C channels.</summary>
    public static InputShape InputFor(InputShape images) =>
        new(images.Channels + 1, images.Height, images.Width, images.Channels);

    public static DiffusionData Load(TrainConfig config)
    {
        var schedule = config.Diffusion.Noise;
        var data = new DiffusionData(config, DatasetCatalog.Load(DataOptions.For(config.Data)), schedule);
        try
        {
            if (config.Diffusion.FidImages > 0) data.CheckScorable(config.Diffusion.FidImages, "Diffusion.FidImages");   // before training, not after
            return data;
        }
        catch
        {
            data.Dispose();
            throw;
        }
    }

    public NoiseSchedule Schedule { get; }

    /// <summary>The images (labels unused), for what looks at them: the reference statistics of a sample metric.</summary>
    public override DataSplits Images => _splits;

    public override TrainingTask Task => TaskRegistry.Diffusion;

    public override InputShape Input { get; }

    public override long TrainCount => _splits.Train.Count;
    public override long TestCount => _splits.Test.Count;

    public override (Tensor Input, Tensor Target) Batch(int batchSize, long seed, int epoch, int index, long step, Device device, IBatchPlan? plan = null)
    {
        var (x0, labels) = Loader(batchSize, device).Batch(seed, epoch, index);   // (B, C, H, W) in [-1, 1]
        labels.Dispose();
        return Noised(x0, SeedMix.Mix(seed, step));
    }

    public override IEnumerable<(Tensor Input, Tensor Target)> ScoringBatches(int batchSize, int count, long seed, Device device)
    {
        var loader = Loader(batchSize, device);
        return Enumerable.Range(0, Math.Min(count, loader.BatchesPerEpoch)).Select(i => Batch(batchSize, seed, 0, i, i, device));
    }

    public override Evaluation EvaluateTest(nn.Module<Tensor, Tensor> model, int batchSize, Device device) =>
        Evaluate(model, _splits.Test, _splits.Test.Count, batchSize, device);

    public override Evaluation? EvaluateValidation(nn.Module<Tensor, Tensor> model, int batchSize, Device device) =>
        _splits.Validation is { } v ? Evaluate(model, v, v.Count, batchSize, device) : null;

    public override Evaluation EvaluateTrain(nn.Module<Tensor, Tensor> model, int batchSize, Device device) =>
        Evaluate(model, _splits.Train, Math.Min(_splits.Train.Count, _splits.Test.Count), batchSize, device);

    public override Curriculum.CurriculumExamples? CurriculumExamples(TrainConfig config) => null;   // refused (DiffusionTask.Refuse)

    public override Information.FisherCallback FisherCallback(TrainConfig config, Sparsity.Mask? mask) =>
        throw new InvalidOperationException($"--task {DiffusionTask.TaskName} refuses --fisher-every before a run starts");

    /// <summary>
    /// With --fid-images N: N DDIM samples from fixed noise scored (Score), and the first 64 of them as samples.png in
    /// the run folder.
    /// </summary>
    public override TrainingSummary Complete(TrainingSummary summary, RunEnd end)
    {
        var d = _config.Diffusion;
        if (d.FidImages == 0) return summary;
        end.Observer.Message($"sampling {d.FidImages} images ({d.SampleSteps} DDIM steps) for the Fréchet LeNet distance");
        using var samples = Sample(end.Model, d.FidImages, d.SampleSteps, end.BatchSize, end.Device, d.ClipEachStep);
        var score = Score(samples, end.Observer);
        ImageGrid.Write(Path.Combine(end.Run.Path, "samples.png"), samples.narrow(0, 0, Math.Min(GridImages, samples.shape[0])));
        return summary with
        {
            FrechetLenet = score.Distance, FidImages = samples.shape[0], SampleSteps = d.SampleSteps,
            FrechetFloor = score.Floor, FrechetGaussian = score.Gaussian, FrechetClassifierAccuracy = score.ClassifierAccuracy,
        };
    }

    /// <summary>Refuses, naming <paramref name="field"/>, a count of images the score cannot compare: at most 84 (a singular covariance) or more than the test images.</summary>
    public void CheckScorable(long n, string field)
    {
        Foundations.Check.That(n > FrechetLeNet.FeatureCount, field,
            $"{n} images in {FrechetLeNet.FeatureCount} features give a singular covariance: use at least {FrechetLeNet.FeatureCount + 1}");
        Foundations.Check.That(n <= _splits.Test.Count, field,
            $"{n} is more than the {_splits.Test.Count} test images the score compares with; use at most {_splits.Test.Count}");
    }

    /// <summary>n DDIM samples (n, C, H, W) in [-1, 1] from the fixed starting noise of n images, on the CPU.</summary>
    public Tensor Sample(nn.Module<Tensor, Tensor> model, long n, int sampleSteps, int batchSize, Device device, bool clipEachStep)
    {
        var info = _splits.Info;
        using var generator = new Generator(SeedMix.Mix(SampleSeed, n));
        using var noise = randn([n, info.Channels, info.Height, info.Width], dtype: ScalarType.Float32, generator: generator);
        using var xT = noise.to(device);
        using var x0 = DdimSampler.Sample(model, xT, Schedule, sampleSteps, batchSize, clipEachStep);
        return x0.cpu().detach().clone();
    }

    /// <summary>
    /// The Fréchet LeNet distance of N samples to the first N test images, beside the same distance of two references:
    /// the first N training images (the floor) and N draws from a Gaussian fitted to the training pixels (a weak baseline).
    /// </summary>
    public SampleScore Score(Tensor samples, ITrainingObserver observer)
    {
        long n = samples.shape[0];
        CheckScorable(n, "Diffusion.FidImages");
        using var lenet = FrechetLeNet.For(_config.Data, _splits.Info, observer);
        using var test = FirstImages(_splits.Test, n);
        using var train = FirstImages(_splits.Train, Math.Min(_splits.Train.Count, GaussianFitImages));
        using var gaussian = GaussianImages.Sample(train, n, SeedMix.Mix(SampleSeed, n, 1));
        using var reference = lenet.Statistics(test);
        double Distance(Tensor images)
        {
            using var statistics = lenet.Statistics(images);
            return FrechetDistance.Between(statistics, reference);
        }
        return new SampleScore(Distance(samples), Distance(train.narrow(0, 0, Math.Min(n, train.shape[0]))), Distance(gaussian), lenet.ClassifierTestAccuracy);
    }

    /// <summary>The first n images (n, C, H, W) of a split in [-1, 1], on the CPU.</summary>
    private Tensor FirstImages(Dataset split, long n)
    {
        var (images, labels) = new BatchLoader(split.Slice(0, n), _pixels, (int)n, train: false, CPU).Batch(0, 0, 0);
        labels.Dispose();
        return images;
    }

    /// <summary>x_0 (B, C, H, W) noised to seeded timesteps: (model input (B, C + 1, H, W), ε (B, C, H, W)).</summary>
    private (Tensor Input, Tensor Target) Noised(Tensor x0, ulong seed)
    {
        using var scope = NewDisposeScope();
        using var generator = new Generator(seed);
        var t = DiffusionInput.DrawSteps(x0.shape[0], Schedule.Steps, generator: generator);                    // (B), uniform in 1..T
        var eps = randn(x0.shape, dtype: ScalarType.Float32, generator: generator).to(x0.device);               // (B, C, H, W)
        t = t.to(x0.device);
        return (DiffusionInput.Pack(DiffusionInput.QSample(x0, t, eps, _alphaBars), t).MoveToOuterDisposeScope(), eps.MoveToOuterDisposeScope());
    }

    /// <summary>The mean denoising loss per pixel over the first <paramref name="count"/> images, each at its fixed timestep and noise.</summary>
    /// <param name="batchSize">Unused: the images go in chunks of <see cref="EvaluationChunk"/>, so their noise is the same for every run.</param>
    private Evaluation Evaluate(nn.Module<Tensor, Tensor> model, Dataset images, long count, int batchSize, Device device)
    {
        bool wasTraining = model.training;
        model.eval();
        var loader = new BatchLoader(images.Slice(0, count), _pixels, EvaluationChunk, train: false, device);
        double sum = 0;
        long pixels = 0;
        using (no_grad())
            for (int i = 0; i < loader.BatchesPerEpoch; i++)
            {
                using var scope = NewDisposeScope();
                var (x0, _) = loader.Batch(0, 0, i);
                var (input, eps) = Noised(x0, SeedMix.Mix(EvaluationSeed, i));
                sum += Task.Loss(model.call(input), eps, nn.Reduction.Sum).item<float>();
                pixels += eps.numel();
            }
        model.train(wasTraining);
        return new Evaluation(sum / pixels, double.NaN, null, count);
    }

    private BatchLoader Loader(int batchSize, Device device)
    {
        if (!_loaders.TryGetValue((batchSize, device), out var loader))
            _loaders[(batchSize, device)] = loader = new BatchLoader(_splits.Train, _pixels, batchSize, train: true, device);
        return loader;
    }

    public override void Dispose() => _splits.Dispose();
}
