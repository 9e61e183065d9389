// One training run from a config: check the options, load the data, pick or
// check the run folder, build the model from the seed, train, write the summary.
// Nothing is written before every check has passed.
using SparseLab.Data;
using SparseLab.Foundations;
using SparseLab.Models;
using SparseLab.Schedules;
using SparseLab.Sparsity;
using TorchSharp;
using static TorchSharp.torch;

namespace SparseLab.Training;

public sealed record TrainingOutcome(RunFolder Run, TrainingSummary Summary, bool AlreadyFinished);

public static class TrainingRun
{
    /// <summary>The folder a run goes to when --out is not given.</summary>
    public static string DefaultFolder(TrainConfig c, string root = "runs") =>
        Path.Combine(root, $"{c.Model}-{c.Dataset}-{ConfigHash.Hash(c)}");

    public static TrainingOutcome Execute(TrainConfig config, string? outDir, bool resume, ITrainingObserver observer,
        IReadOnlyList<ITrainingCallback>? callbacks = null)
    {
        config.Validate();
        int threads = TorchRuntime.SetThreads(config.Threads);
        var device = TorchRuntime.ResolveDevice(config.Device);

        var run = new RunFolder(outDir ?? DefaultFolder(config));
        var existing = CheckFolder(run, config, resume);
        if (existing is not null) return new TrainingOutcome(run, existing, AlreadyFinished: true);

        using var loaded = DatasetCatalog.Load(DataOptions.For(config));
        using var noise = config.LabelNoise > 0 ? LabelNoise.Apply(loaded.Train, config.LabelNoise, config.Seed) : null;
        var data = noise is null ? loaded : loaded with { Train = noise.All };
        if (config.BatchSize > data.Train.Count)
            throw new InvalidOptionException($"--batch-size {config.BatchSize} is larger than the training set ({data.Train.Count} examples); use a smaller batch size");

        var input = new InputShape(data.Info.Channels, data.Info.Height, data.Info.Width, data.Info.NumClasses);
        // Scores under shared references first: warm-up runs seed the global generator themselves.
        var curriculum = config.Curriculum is null ? null : new Curriculum.CurriculumPlan(config, data.Train, data.Info, run, input, observer);
        curriculum?.Prepare(device);

        torch.manual_seed(config.InitSeed ?? config.Seed);
        using var model = ModelRegistry.Create(new ModelSpec(config.Model, input.Channels, input.Height, input.Width, input.NumClasses, config.Width));
        model.to(device);
        if (config.InitFrom is not null)
            Checkpoint.Load(CheckpointRef.Resolve(config.InitFrom, "--init-from"), model);
        var prunable = PrunableParameters.Of(model, config.KeepFirstDense, config.KeepLastDense);
        long stepsPerEpoch = (data.Train.Count + config.BatchSize - 1) / config.BatchSize;
        var schedule = MaskSchedules.Create(config, config.Steps ?? config.Epochs * stepsPerEpoch);
        using var mask = StartMask(config, schedule, run, model, prunable, data, input, device, observer.Message);
        var denseCosts = SparsityAccounting.Measure(model, input);

        Directory.CreateDirectory(run.Path);
        run.WriteConfig(config, RunEnvironment.Capture(threads, device.type.ToString().ToLowerInvariant()));
        if (mask is not null && !File.Exists(run.MaskFile))
            mask.Save(run.MaskFile, new Dictionary<string, string> { ["model"] = config.Model, ["config_hash"] = ConfigHash.Hash(config) });
        if (mask is not null && config.RescaleInit) SparseInit.Rescale(prunable, mask);   // a resumed run's checkpoint overrides it
        var allCallbacks = new List<ITrainingCallback>(callbacks ?? []);
        if (mask is not null) allCallbacks.Insert(0, new MaskScheduleCallback(schedule, new MaskEnforcer(mask, prunable), prunable, denseCosts));
        if (config.FisherEvery is not null)
            allCallbacks.Add(new Information.FisherCallback(data.Train, data.Info, mask,
                FisherOptionsFor(config) with { Samples = (int)Math.Min(config.FisherSamples, data.Train.Count) }, config.FisherEvery));   // a small training set is probed whole

        if (curriculum is not null) curriculum.Mask = mask;

        var summary = new Trainer(config, model, data, device, observer, allCallbacks, curriculum).Run(run, resume);
        if (mask is not null && config.DynamicMask)   // mask.safetensors ends as the final mask
            mask.Save(run.MaskFile, new Dictionary<string, string> { ["model"] = config.Model, ["config_hash"] = ConfigHash.Hash(config), ["schedule"] = config.Schedule });
        double relativeCost = mask is null ? 1 : TrainingCost.Relative(run.MetricsFile, summary.Steps);
        double examples = config.Steps is null ? (double)config.Epochs * data.Train.Count : (double)summary.Steps * config.BatchSize;
        var (sparsity, nonzero, _) = PrunableParameters.Measure(prunable);
        var costs = SparsityAccounting.Measure(model, input);
        if (noise is not null)
            summary = summary with
            {
                TrainAccuracyClean = Evaluator.Evaluate(model, noise.Clean, data.Info, config.BatchSize, device).Accuracy,
                TrainAccuracyNoisy = Evaluator.Evaluate(model, noise.Noisy, data.Info, config.BatchSize, device).Accuracy,
            };
        summary = summary with
        {
            Sparsity = sparsity, NonzeroParams = nonzero,
            FlopsDense = costs.Sum(c => c.FlopsDense), FlopsSparse = costs.Sum(c => c.FlopsSparse),
            TrainCostVsDense = relativeCost, TrainFlops = relativeCost * 3.0 * costs.Sum(c => c.FlopsDense) * examples,
        };
        run.WriteSummary(summary);
        return new TrainingOutcome(run, summary, AlreadyFinished: false);
    }

    /// <summary>The mask training starts with: the schedule's start sparsity (GMP starts below its target; s_i = 0 is all ones).</summary>
    private static Mask? StartMask(TrainConfig config, MaskSchedule schedule, RunFolder run, nn.Module<Tensor, Tensor> model,
        IReadOnlyList<(string Name, TorchSharp.Modules.Parameter Weight)> prunable, DataSplits data, InputShape input, Device device, Action<string> warn)
    {
        if (!config.DynamicMask) return SparseStart.Mask(config, run, model, prunable, data, input, device, warn);
        var start = SparseStart.Mask(config with { Sparsity = schedule.StartSparsity }, run, model, prunable, data, input, device, warn);
        return start ?? Mask.Dense(prunable.Select(p => (p.Name, (Tensor)p.Weight)));
    }

    public static Information.FisherOptions FisherOptionsFor(TrainConfig c) =>
        new(Samples: c.FisherSamples, Draws: c.FisherDraws, BatchSize: c.BatchSize, Seed: c.Seed, Method: c.FisherMethod);

    /// <summary>Refuses a folder that holds another run; returns the summary of this config's finished run.</summary>
    private static TrainingSummary? CheckFolder(RunFolder run, TrainConfig config, bool resume)
    {
        if (!Directory.Exists(run.Path) || !Directory.EnumerateFileSystemEntries(run.Path).Any()) return null;
        var saved = run.ReadConfig()
            ?? throw new InvalidOptionException($"--out '{run.Path}' is not empty and holds no SparseLab run; choose an empty or new folder");
        if (ConfigHash.Canonical(saved) != ConfigHash.Canonical(config))
            throw new InvalidOptionException(
                $"--out '{run.Path}' holds a run with a different config ({Describe(saved)}); choose another --out, or delete the folder to start fresh");
        if (run.IsFinished) return run.ReadSummary();
        if (run.HasCheckpoint && !resume)
            throw new InvalidOptionException($"--out '{run.Path}' holds an unfinished run of this config; pass --resume to continue it, or delete the folder to start fresh");
        return null;
    }

    private static string Describe(TrainConfig c)
    {
        string s = ConfigHash.Canonical(c);
        return s.Length == 0 ? "all defaults" : s;
    }
}
