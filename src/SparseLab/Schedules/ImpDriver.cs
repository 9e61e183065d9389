// Iterative magnitude pruning with rewinding (Frankle & Carbin 2019; Frankle
// et al. 2020; METHODS §4). Level 0 trains densely and keeps the rewind
// checkpoint; level k prunes the fraction p of level k − 1's surviving
// weights with the smallest |w| (one global threshold; pruned stay pruned),
// rewinds the survivors to the rewind checkpoint, and trains again. Every
// level is a run folder of its own, so a rerun skips finished levels and
// resumes the unfinished one.
//
// Choice (check): each level retrains for the full recipe (--epochs) from the
// rewound weights with a fresh optimizer and the learning-rate schedule
// restarted; Frankle et al. 2020 rewind the schedule to step K as well.
using SparseLab.Data;
using SparseLab.Foundations;
using SparseLab.Sparsity;
using SparseLab.Training;

namespace SparseLab.Schedules;

public sealed record ImpOptions(double Rate, int? Levels, IReadOnlyList<double> Targets, RewindPoint Rewind);

/// <summary>One finished level: its planned and measured sparsity, where it ran, and its summary.</summary>
public sealed record ImpLevel(int Level, double Sparsity, string Run, TrainingSummary Summary);

public sealed record ImpResult(ImpPlan Plan, IReadOnlyList<ImpLevel> Levels, RewindPoint Rewind, long RewindStep)
{
    /// <summary>The level that reaches each requested sparsity.</summary>
    public ImpLevel LevelFor(double target) => Levels[Plan.LevelOf(target)];
}

public sealed class ImpDriver
{
    private readonly TrainConfig _config;
    private readonly ImpOptions _options;
    private readonly ITrainingObserver _observer;

    /// <summary>Checks everything, data size included, before any work.</summary>
    public ImpDriver(TrainConfig config, ImpOptions options, ITrainingObserver observer)
    {
        config.Validate();
        if (config.Sparsity != 0 || config.MaskFrom is not null || config.InitFrom is not null || config.DynamicMask)
            throw new InvalidOptionException("imp chooses every level's mask and starting weights itself: drop --sparsity (use --targets), --mask-from, --init-from and --schedule");
        (_config, _options, _observer) = (config, options, observer);
        Plan = ImpPlan.Make(options.Rate, options.Levels, options.Targets);
        long trainCount;
        using (var data = DatasetCatalog.Load(DataOptions.For(config))) trainCount = data.Train.Count;
        int stepsPerEpoch = (int)((trainCount + config.BatchSize - 1) / config.BatchSize);
        RewindStep = options.Rewind.ToStep(stepsPerEpoch, config.Steps ?? (long)config.Epochs * stepsPerEpoch);
    }

    public ImpPlan Plan { get; }
    public long RewindStep { get; }

    /// <summary>Callbacks level 0 must train with (the rewind checkpoint), for a caller that trains level 0 itself.</summary>
    public IReadOnlyList<ITrainingCallback> Level0Callbacks(string level0Dir) =>
        RewindStep == 0 ? [] : [new RewindCheckpoint(RewindStep, new RunFolder(level0Dir).CheckpointFile(_options.Rewind.CheckpointName))];

    /// <param name="levelDir">Folder of level k given its config.</param>
    /// <param name="maskFile">Where level k's mask is saved (k ≥ 1).</param>
    public ImpResult Run(Func<int, TrainConfig, string> levelDir, Func<int, string> maskFile)
    {
        var levels = new List<ImpLevel>();
        string level0 = levelDir(0, _config);
        levels.Add(Train(0, _config, level0, Level0Callbacks(level0)));
        var level0Run = new RunFolder(level0);
        string rewind = level0Run.CheckpointFile(_options.Rewind.CheckpointName);
        if (!File.Exists(rewind))
            throw new SparseLabException($"IMP level 0 ({level0}) has no rewind checkpoint '{_options.Rewind.CheckpointName}' (it finished before this rewind point was asked for); delete that folder to train it again");

        for (int k = 1; k <= Plan.Levels; k++)
        {
            string mask = maskFile(k);
            if (!File.Exists(mask)) PruneLevel(levels[^1].Run, Plan.Sparsities[k], mask);
            var c = _config with { MaskFrom = Path.GetFullPath(mask), InitFrom = $"{level0Run.Path}:{_options.Rewind.CheckpointName}" };
            levels.Add(Train(k, c, levelDir(k, c), []));
        }
        return new ImpResult(Plan, levels, _options.Rewind, RewindStep);
    }

    private ImpLevel Train(int k, TrainConfig c, string dir, IReadOnlyList<ITrainingCallback> callbacks)
    {
        _observer.Message($"[imp] level {k}/{Plan.Levels}: sparsity {Plan.Sparsities[k]:0.####}");
        var outcome = TrainingRun.Execute(c, dir, resume: true, _observer, callbacks);
        if (outcome.AlreadyFinished) _observer.Message($"[imp] level {k}: finished earlier, skipped");
        return new ImpLevel(k, Plan.Sparsities[k], outcome.Run.Path, outcome.Summary);
    }

    /// <summary>Global magnitude pruning of the previous level's final weights, keeping its zeros: s_k of all prunable weights.</summary>
    private void PruneLevel(string previousRun, double sparsity, string file)
    {
        using var saved = SavedRun.Open(previousRun, "final");
        using var current = saved.LoadMask();
        var options = new PruningOptions(sparsity, "magnitude", "global", null, 1, _config.Seed, ForbidCollapse: false);
        using var mask = Pruning.Run(options, saved.Model, saved.Prunable, () => [], saved.Input, _observer.Message, current, saved.Spec);
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(file))!);
        mask.Save(file, new Dictionary<string, string> { ["source"] = previousRun, ["imp_sparsity"] = sparsity.ToString("R", System.Globalization.CultureInfo.InvariantCulture) });
    }
}
