// One training run from a config: check the options, load the data, pick or
// check the run folder, build the model from the seed, train, write the summary.
// Nothing is written before every check has passed.
using SparseLab.Data;
using SparseLab.Foundations;
using SparseLab.Models;
using SparseLab.Schedules;
using SparseLab.Sparsity;
using SparseLab.Training.Kernels;
using SparseLab.Training.Tasks;
using TorchSharp;
using static TorchSharp.torch;

namespace SparseLab.Training;

public sealed record TrainingOutcome(RunFolder Run, TrainingSummary Summary, bool AlreadyFinished);

public static class TrainingRun
{
    /// <summary>The folder a run goes to when --out is not given.</summary>
    public static string DefaultFolder(TrainConfig c, string root = "runs") =>
        Path.Combine(root, $"{c.Model.Name}-{c.Data.Dataset}-{ConfigHash.Hash(c)}");

    /// <param name="strictKernels">
    /// Whether --kernels sparse refuses a run or layer without a sparse kernel (a single run) or leaves it dense (the
    /// runs of a study or IMP, where sparse means "every layer that has a kernel").
    /// </param>
    public static TrainingOutcome Execute(TrainConfig config, string? outDir, bool resume, ITrainingObserver observer,
        IReadOnlyList<ITrainingCallback>? callbacks = null, bool strictKernels = true)
    {
        config.Validate();
        int threads = TorchRuntime.SetThreads(config.Runtime.Threads, observer.Message);
        var device = TorchRuntime.ResolveDevice(config.Runtime.Device);

        var run = new RunFolder(outDir ?? DefaultFolder(config));
        var existing = CheckFolder(run, config, resume);
        if (existing is not null) return new TrainingOutcome(run, existing, AlreadyFinished: true);

        using var data = Load(config);
        var o = config.Optimization;
        Check.That(o.BatchSize <= data.TrainCount, "Optimization.BatchSize",
            $"{o.BatchSize} is larger than the training set ({data.TrainCount} examples); use a smaller batch size");
        long stepsPerEpoch = data.StepsPerEpoch(o.BatchSize);
        long totalSteps = o.Steps ?? o.Epochs * stepsPerEpoch;
        InSection(nameof(TrainConfig.Optimization), () => LearningRateSchedule.From(o, totalSteps, stepsPerEpoch));   // checked before anything is written
        long earlySteps = config.Early.Used ? InSection(nameof(TrainConfig.Early), () => config.Early.EarlySteps(stepsPerEpoch, totalSteps)) : 0;

        var input = data.Input;
        // Scores under shared references first: warm-up runs seed the global generator themselves.
        var curriculumExamples = config.Curriculum.Score is null ? null : data.CurriculumExamples(config);
        var curriculum = curriculumExamples is null ? null : new Curriculum.CurriculumPlan(config, curriculumExamples, run, input, observer);
        curriculum?.Prepare(device);

        torch.manual_seed(config.Model.InitSeed ?? config.Seed);
        using var model = ModelRegistry.Create(ModelSpec.For(config.Model, input));
        model.to(device);
        if (config.Model.InitFrom is not null)
            Checkpoint.Load(CheckpointRef.Resolve(config.Model.InitFrom, ConfigError.Field("Model.InitFrom")), model);
        var prunable = PrunableParameters.For(model, config.Sparsity);
        var schedule = MaskSchedules.Create(config, stepsPerEpoch, totalSteps);
        using var mask = StartMask(config, schedule, run, model, prunable, data, input, device, observer.Message);
        var denseCosts = SparsityAccounting.Measure(model, input);
        // The Fisher penalty differentiates through a backward pass; the sparse kernels' backward is not differentiable (--kernels sparse is refused).
        bool penalty = config.Early.Penalty is not null;
        const string doubleBackward = "the Fisher penalty needs double backward, which the sparse kernels do not provide";
        // auto: a resumed run keeps the kernels its config.json recorded (a switch would change float rounding mid-run);
        // a new one times its layers on this machine.
        bool keepRecorded = resume && run.HasCheckpoint && config.Runtime.Kernels == "auto";
        IAutoKernels auto = keepRecorded ? new RecordedKernels(run.ReadKernels())
            : new MeasuredKernels(model, input, o.BatchSize, KernelTimeCache.Default(observer.Message), KernelMachine.Current(threads));
        var kernelPlan = KernelPlan.Choose(penalty ? "dense" : config.Runtime.Kernels, model, mask, schedule, device, strictKernels, auto);
        if (penalty) kernelPlan = [.. kernelPlan.Select(l => l with { Reason = doubleBackward })];   // config.json says why
        if (penalty && mask is not null)
            observer.Message($"kernels ({config.Runtime.Kernels}): dense for every layer: {doubleBackward}");
        else if (kernelPlan.Count > 0)
            observer.Message($"kernels ({config.Runtime.Kernels}{(keepRecorded ? ", kept from config.json" : "")}): {KernelPlan.Describe(kernelPlan)}");

        Directory.CreateDirectory(run.Path);
        run.WriteConfig(config, RunEnvironment.Capture(threads, device.type.ToString().ToLowerInvariant()), kernelPlan);
        string hash = ConfigHash.Hash(config);
        if (mask is not null && !File.Exists(run.MaskFile))
            mask.Save(run.MaskFile, new Dictionary<string, string> { ["model"] = config.Model.Name, ["config_hash"] = hash });
        if (mask is not null && config.Sparsity.RescaleInit) SparseInit.Rescale(prunable, mask);   // a resumed run's checkpoint overrides it
        var allCallbacks = new List<ITrainingCallback>(callbacks ?? []);
        if (mask is not null) allCallbacks.Insert(0, new MaskScheduleCallback(schedule, new MaskEnforcer(mask, prunable), prunable, denseCosts));
        var probes = config.Probes;
        if (probes.FisherEvery is not null)
            allCallbacks.Add(data.FisherCallback(config, mask));

        if (curriculum is not null) curriculum.Mask = mask;
        var early = config.Early;
        IBatchPlan? plan = curriculum;
        if (early.Select is { } select)
        {
            plan = new EarlyPhase.EarlySelectionPlan(select, early.PoolFactor, earlySteps, config.Seed, o.BatchSize, data.Images!.Train, data.Images.Info);
            observer.Message($"early phase: {select} selection of {o.BatchSize} from pools of {EarlyPhase.EarlyPool.Size(o.BatchSize, early.PoolFactor, data.TrainCount)} for the first {earlySteps} of {totalSteps} steps");
        }
        EarlyPhase.FisherPenalty? penaltyTerm = null;
        if (early.Penalty is { } lambda)
        {
            penaltyTerm = new EarlyPhase.FisherPenalty(lambda, earlySteps, config.Seed);
            observer.Message($"early phase: Fisher penalty λ = {Check.Fmt(lambda)} for the first {earlySteps} of {totalSteps} steps");
        }

        using var kernels = SparseTraining.For(kernelPlan, model, mask, schedule, o);
        if (kernels is not null) allCallbacks.OfType<MaskScheduleCallback>().Single().Enforcer.Exempt(kernels.Layers);
        var summary = new Trainer(config, model, data, device, observer, allCallbacks, plan, kernels, penaltyTerm).Run(run, resume);
        if (mask is not null && config.DynamicMask)   // mask.safetensors ends as the final mask
            mask.Save(run.MaskFile, new Dictionary<string, string> { ["model"] = config.Model.Name, ["config_hash"] = hash, ["schedule"] = config.MaskSchedule.Kind });
        double relativeCost = mask is null ? 1 : TrainingCost.Relative(run.MetricsFile, summary.Steps);
        double examples = o.Steps is null ? (double)o.Epochs * data.TrainCount : (double)summary.Steps * o.BatchSize;
        var (sparsity, nonzero, _) = PrunableParameters.Measure(prunable);
        var costs = SparsityAccounting.Measure(model, input);
        summary = data.Complete(summary, new RunEnd(model, o.BatchSize, device, run, observer));
        summary = ModelSelection.Apply(summary, run.MetricsFile, data.Task.RanksByLoss);
        // The early phase's scoring and penalty passes, at the run's mean density like its training passes.
        double? earlyFlops = early.Used
            ? relativeCost * costs.Sum(c => c.FlopsDense) * EarlyPhase.EarlyPhaseCost.ExtraPasses(early, earlySteps, o.BatchSize, data.TrainCount, (int)stepsPerEpoch)
            : null;
        summary = summary with
        {
            Sparsity = sparsity, NonzeroParams = nonzero,
            FlopsDense = costs.Sum(c => c.FlopsDense), FlopsSparse = costs.Sum(c => c.FlopsSparse),
            TrainCostVsDense = relativeCost, TrainFlops = relativeCost * 3.0 * costs.Sum(c => c.FlopsDense) * examples + (earlyFlops ?? 0),
            EarlyPhaseFlops = earlyFlops,
        };
        run.WriteSummary(summary);
        return new TrainingOutcome(run, summary, AlreadyFinished: false);
    }

    /// <summary>The mask training starts with: the schedule's start sparsity (GMP starts below its target; s_i = 0 is all ones).</summary>
    private static Mask? StartMask(TrainConfig config, MaskSchedule schedule, RunFolder run, nn.Module<Tensor, Tensor> model,
        IReadOnlyList<(string Name, TorchSharp.Modules.Parameter Weight)> prunable, TrainingData data, InputShape input, Device device, Action<string> warn)
    {
        if (!config.DynamicMask) return SparseStart.Mask(config, run, model, prunable, data, input, device, warn);
        var start = SparseStart.Mask(config with { Sparsity = config.Sparsity with { Target = schedule.StartSparsity } }, run, model, prunable, data, input, device, warn);
        return start ?? Mask.Dense(prunable.Select(p => (p.Name, (Tensor)p.Weight)));
    }

    /// <summary>The run's data, its errors naming fields of the Data section (and the text's model when it is text).</summary>
    public static TrainingData Load(TrainConfig config)
    {
        var task = TaskRegistry.For(config);
        task.Refuse(config);
        return InSection(nameof(TrainConfig.Data), () => task.Load(config, labelNoise: true));
    }

    public static Information.FisherOptions FisherOptionsFor(TrainConfig c) =>
        new(Samples: c.Probes.FisherSamples, Draws: c.Probes.FisherDraws, BatchSize: c.Optimization.BatchSize, Seed: c.Seed, Method: c.Probes.FisherMethod);

    /// <summary>Refuses a folder that holds another run; returns the summary of this config's finished run.</summary>
    private static TrainingSummary? CheckFolder(RunFolder run, TrainConfig config, bool resume)
    {
        if (File.Exists(run.Path))
            throw new ConfigError($"{Out} '{run.Path}' is a file; give a folder for the run");
        if (!Directory.Exists(run.Path) || !Directory.EnumerateFileSystemEntries(run.Path).Any()) return null;
        var saved = run.ReadDocument()
            ?? throw new ConfigError($"{Out} '{run.Path}' is not empty and holds no SparseLab run; choose an empty or new folder");
        if (!RunIdentity.Matches(saved, config))
            throw new ConfigError(
                $"{Out} '{run.Path}' holds a run with a different config ({RunIdentity.Difference(saved, config)}); choose another folder, or delete it to start fresh");
        if (run.IsFinished) return run.ReadSummary();
        if (run.HasCheckpoint && !resume)
            throw new ConfigError($"{Out} '{run.Path}' holds an unfinished run of this config; pass {ConfigError.Field("Resume")} to continue it, or delete the folder to start fresh");
        return null;
    }

    /// <summary>The run folder, as the caller named it (train's --out).</summary>
    private static string Out => ConfigError.Field("Out");

    /// <summary>Runs a check of one config section and names its fields from the run's config.</summary>
    private static T InSection<T>(string section, Func<T> work)
    {
        try
        {
            return work();
        }
        catch (ConfigError e)
        {
            throw e.Within(section);
        }
    }
}
