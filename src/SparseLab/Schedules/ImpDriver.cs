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
        int stepsPerEpoch;
        using (var data = TrainingRun.Load(train)) stepsPerEpoch = data.StepsPerEpoch(train.Optimization.BatchSize);
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

    /// <summary>One level as a scheduler needs it: its config, folder, callbacks, and the recipe of its mask (k ≥ 1).</summary>
    public sealed record LevelRun(int Level, TrainConfig Config, string Dir, IReadOnlyList<ITrainingCallback> Callbacks, MaskRecipe? Mask);

    /// <param name="levelDir">Folder of level k given its config (named by its hash in a study: known once its mask is made).</param>
    /// <param name="maskFile">Where level k's mask is saved (k ≥ 1).</param>
    public ImpResult Run(Func<int, TrainConfig, string> levelDir, Func<int, string> maskFile)
    {
        var levels = new List<ImpLevel>();
        var dense = _config.Train;
        string level0 = new RunFolder(levelDir(0, dense)).Path;
        levels.Add(Train(0, dense, level0, Level0Callbacks(level0)));
        if (!File.Exists(RewindFile(level0)))
            throw new SparseLabException($"IMP level 0 ({level0}) has no rewind checkpoint '{_config.Pruning.RewindCheckpoint}' (it finished before this rewind point was asked for); delete that folder to train it again");

        for (int k = 1; k <= Plan.Levels; k++)
        {
            var (c, recipe) = Level(k, level0, levels[^1].Run, maskFile);
            recipe.Make(_observer.Message);
            levels.Add(Train(k, c, levelDir(k, c), []));
        }
        return new ImpResult(Plan, levels, _config.Pruning, RewindStep);
    }

    /// <summary>Every level without training any, for levels in fixed folders (the imp command): what a scheduler is handed.</summary>
    public IReadOnlyList<LevelRun> Chain(Func<int, string> levelDir, Func<int, string> maskFile)
    {
        string level0 = new RunFolder(levelDir(0)).Path;
        var chain = new List<LevelRun> { new(0, _config.Train, level0, Level0Callbacks(level0), null) };
        for (int k = 1; k <= Plan.Levels; k++)
        {
            var (c, recipe) = Level(k, level0, chain[^1].Dir, maskFile);
            chain.Add(new LevelRun(k, c, new RunFolder(levelDir(k)).Path, [], recipe));
        }
        return chain;
    }

    /// <summary>
    /// Level k: its mask prunes level k − 1's final weights by global magnitude, keeping its zeros (s_k of all
    /// prunable weights), and its surviving weights rewind to level 0's rewind checkpoint.
    /// </summary>
    private (TrainConfig Config, MaskRecipe Mask) Level(int k, string level0, string previous, Func<int, string> maskFile)
    {
        var dense = _config.Train;
        string mask = Path.GetFullPath(maskFile(k));
        var c = dense with
        {
            Sparsity = dense.Sparsity with { MaskFrom = mask },
            Model = dense.Model with { InitFrom = $"{level0}:{_config.Pruning.RewindCheckpoint}" },
        };
        var options = new PruningOptions(Plan.Sparsities[k], "magnitude", "global", null, 1, _config.Train.Seed, ForbidCollapse: false);
        var recipe = new MaskRecipe(mask, previous, "final", options, KeepPruned: true,
            new Dictionary<string, string> { ["imp_sparsity"] = Plan.Sparsities[k].ToString("R", System.Globalization.CultureInfo.InvariantCulture) });
        return (c, recipe);
    }

    private string RewindFile(string level0) => new RunFolder(level0).CheckpointFile(_config.Pruning.RewindCheckpoint);

    private ImpLevel Train(int k, TrainConfig c, string dir, IReadOnlyList<ITrainingCallback> callbacks)
    {
        _observer.Message($"[imp] level {k}/{Plan.Levels}: sparsity {Plan.Sparsities[k]:0.####}");
        var outcome = TrainingRun.Execute(c, dir, resume: true, _observer, callbacks, strictKernels: false);
        if (outcome.AlreadyFinished) _observer.Message($"[imp] level {k}: finished earlier, skipped");
        return new ImpLevel(k, Plan.Sparsities[k], outcome.Run.Path, outcome.Summary);
    }
}
