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

/// <summary>One finished level: its planned and measured sparsity, where it ran, and its summary.</summary>
public sealed record ImpLevel(int Level, double Sparsity, string Run, TrainingSummary Summary);

public sealed record ImpResult(ImpPlan Plan, IReadOnlyList<ImpLevel> Levels, ImpPruning Pruning, long RewindStep)
{
    /// <summary>The level that reaches each requested sparsity.</summary>
    public ImpLevel LevelFor(double target) => Levels[Plan.LevelOf(target)];
}

public sealed class ImpDriver
{
    private readonly ImpConfig _config;
    private readonly ITrainingObserver _observer;

    /// <summary>Checks everything, data size included, before any work.</summary>
    public ImpDriver(ImpConfig config, ITrainingObserver observer)
    {
        config.Validate();
        (_config, _observer) = (config, observer);
        Plan = config.Plan();
        var train = config.Train;
        long trainCount;
        using (var data = DatasetCatalog.Load(DataOptions.For(train.Data))) trainCount = data.Train.Count;
        int stepsPerEpoch = (int)((trainCount + train.Optimization.BatchSize - 1) / train.Optimization.BatchSize);
        try
        {
            RewindStep = config.Pruning.RewindStep(stepsPerEpoch, train.Optimization.Steps ?? (long)train.Optimization.Epochs * stepsPerEpoch);
        }
        catch (ConfigError e)
        {
            throw e.Within(nameof(ImpConfig.Pruning));
        }
    }

    public ImpPlan Plan { get; }
    public long RewindStep { get; }

    /// <summary>Callbacks level 0 must train with (the rewind checkpoint), for a caller that trains level 0 itself.</summary>
    public IReadOnlyList<ITrainingCallback> Level0Callbacks(string level0Dir) =>
        RewindStep == 0 ? [] : [new RewindCheckpoint(RewindStep, new RunFolder(level0Dir).CheckpointFile(_config.Pruning.RewindCheckpoint))];

    /// <param name="levelDir">Folder of level k given its config.</param>
    /// <param name="maskFile">Where level k's mask is saved (k ≥ 1).</param>
    public ImpResult Run(Func<int, TrainConfig, string> levelDir, Func<int, string> maskFile)
    {
        var levels = new List<ImpLevel>();
        var dense = _config.Train;
        string level0 = levelDir(0, dense);
        levels.Add(Train(0, dense, level0, Level0Callbacks(level0)));
        var level0Run = new RunFolder(level0);
        string rewind = level0Run.CheckpointFile(_config.Pruning.RewindCheckpoint);
        if (!File.Exists(rewind))
            throw new SparseLabException($"IMP level 0 ({level0}) has no rewind checkpoint '{_config.Pruning.RewindCheckpoint}' (it finished before this rewind point was asked for); delete that folder to train it again");

        for (int k = 1; k <= Plan.Levels; k++)
        {
            string mask = maskFile(k);
            if (!File.Exists(mask)) PruneLevel(levels[^1].Run, Plan.Sparsities[k], mask);
            var c = dense with
            {
                Sparsity = dense.Sparsity with { MaskFrom = Path.GetFullPath(mask) },
                Model = dense.Model with { InitFrom = $"{level0Run.Path}:{_config.Pruning.RewindCheckpoint}" },
            };
            levels.Add(Train(k, c, levelDir(k, c), []));
        }
        return new ImpResult(Plan, levels, _config.Pruning, RewindStep);
    }

    private ImpLevel Train(int k, TrainConfig c, string dir, IReadOnlyList<ITrainingCallback> callbacks)
    {
        _observer.Message($"[imp] level {k}/{Plan.Levels}: sparsity {Plan.Sparsities[k]:0.####}");
        var outcome = TrainingRun.Execute(c, dir, resume: true, _observer, callbacks, strictKernels: false);
        if (outcome.AlreadyFinished) _observer.Message($"[imp] level {k}: finished earlier, skipped");
        return new ImpLevel(k, Plan.Sparsities[k], outcome.Run.Path, outcome.Summary);
    }

    /// <summary>Global magnitude pruning of the previous level's final weights, keeping its zeros: s_k of all prunable weights.</summary>
    private void PruneLevel(string previousRun, double sparsity, string file)
    {
        using var saved = SavedRun.Open(previousRun, "final");
        using var current = saved.LoadMask();
        var options = new PruningOptions(sparsity, "magnitude", "global", null, 1, _config.Train.Seed, ForbidCollapse: false);
        using var mask = Pruning.Run(options, saved.Model, saved.Prunable, () => [], saved.Input, _observer.Message, current, saved.Spec);
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(file))!);
        mask.Save(file, new Dictionary<string, string> { ["imp_sparsity"] = sparsity.ToString("R", System.Globalization.CultureInfo.InvariantCulture) });
    }
}
