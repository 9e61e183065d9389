// The gap study (the seed's experiment; Evci et al. 2020): for every seed,
// train dense (Init-D → Sol-D); for every sparsity prune Sol-D to a mask M;
// finetune Sol-D ⊙ M (Init-F → Sol-F) and train Init-D ⊙ M from scratch
// (Init-S → Sol-S) with the same mask; optional controls; then the linear
// paths between the solutions. Every run is a folder named by its config
// hash: rerunning an interrupted study skips finished runs and resumes the
// unfinished one.
using SparseLab.Data;
using SparseLab.Foundations;
using SparseLab.Information;
using SparseLab.Models;
using SparseLab.Sparsity;
using SparseLab.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace SparseLab.Studies;

public sealed class GapStudy(GapStudyConfig config, StudyFolder folder, ITrainingObserver observer)
{
    private readonly List<StudyRow> _rows = [];
    private readonly List<StudyPath> _paths = [];
    private readonly List<FisherSeries> _fisher = [];
    private readonly List<CurvatureRow> _curvature = [];
    private int _done;
    private int Planned => config.Seeds * (1 + config.Sparsities.Length * config.Methods.Length);

    public GapStudyResult Run()
    {
        config.Validate();
        int threads = TorchRuntime.SetThreads(config.Train.Threads);
        var device = TorchRuntime.ResolveDevice(config.Train.Device);
        var environment = RunEnvironment.Capture(threads, device.type.ToString().ToLowerInvariant());
        // Check the data once, before the folder is claimed.
        using (DatasetCatalog.Load(DataOptions.For(config.Train))) { }
        folder.Claim("gap", config.Canonical(), environment);

        foreach (long seed in config.SeedValues)
        {
            var denseConfig = config.Train with { Seed = seed };
            var dense = Train("dense", denseConfig, sparsity: 0, seed);
            foreach (double s in config.Sparsities)
                RunSparsity(s, seed, dense);
        }

        var result = StudyTables.Build(config, environment, _rows, _paths) with { Fisher = _fisher, Curvature = _curvature };
        AtomicFile.WriteAllText(folder.ResultFile, Json.Serialize(result));
        return result;
    }

    private void RunSparsity(double s, long seed, RunFolder dense)
    {
        string tag = $"s{GapStudyConfig.Fmt(s)}-seed{seed}";
        string mask = MaskFromSolution(dense, s, tag);
        var finetune = Train("finetune", config.Train with
        {
            Seed = seed, MaskFrom = mask, InitFrom = dense.Path,
            Epochs = config.EffectiveFinetuneEpochs, Lr = config.EffectiveFinetuneLr,
        }, s, seed);
        var scratch = Train("scratch", ScratchConfig(seed, mask, dense), s, seed);

        foreach (var control in config.Methods.Where(m => m.StartsWith("scratch-", StringComparison.Ordinal)))
        {
            string controlMask = control == "scratch-random"
                ? RandomLikeMask(dense, mask, tag)
                : MaskAtInit(dense, s, control["scratch-".Length..], tag);
            Train(control, ScratchConfig(seed, controlMask, dense), s, seed);
        }

        // Curriculum arms: scratch with the same mask and init, batches drawn by a curriculum.
        foreach (var arm in config.Methods.Where(CurriculumArms.IsArm))
            Train(arm, CurriculumArms.Apply(arm, ScratchConfig(seed, mask, dense), config.Curriculum) with { ScoreCache = folder.ScoreCacheDir }, s, seed);

        if (config.Curvature)
        {
            Curvature("finetune", finetune, s, seed);
            Curvature("scratch", scratch, s, seed);
        }

        if (config.PathPoints >= 2)
        {
            Path("init-s", scratch, "init", "sol-f", finetune, "final", s, seed);
            Path("sol-s", scratch, "final", "sol-f", finetune, "final", s, seed);
            Path("init-s", scratch, "init", "sol-s", scratch, "final", s, seed);
        }
    }

    /// <summary>Init-S: Init-D ⊙ M (original), a fresh init ⊙ M (reinit), or Init-D ⊙ M rescaled per unit (scaled).</summary>
    private TrainConfig ScratchConfig(long seed, string mask, RunFolder dense) => config.ScratchInit switch
    {
        "reinit" => config.Train with { Seed = seed, MaskFrom = mask, InitSeed = seed + 1_000_000 },
        "scaled" => config.Train with { Seed = seed, MaskFrom = mask, InitFrom = dense.Path + ":init", RescaleInit = true },
        _ => config.Train with { Seed = seed, MaskFrom = mask, InitFrom = dense.Path + ":init" },
    };

    private RunFolder Train(string method, TrainConfig c, double sparsity, long seed)
    {
        string label = sparsity == 0 ? $"{method}-seed{seed}" : $"{method}-s{GapStudyConfig.Fmt(sparsity)}-seed{seed}";
        _done++;
        observer.Message($"[study] run {_done}/{Planned}: {label}");
        if (config.Fisher) c = c with { FisherEvery = c.FisherEvery ?? "epoch" };
        var outcome = TrainingRun.Execute(c, folder.RunDir(label, c), resume: true, observer);
        if (outcome.AlreadyFinished) observer.Message($"[study] {label}: finished earlier, skipped");
        var m = outcome.Summary;
        _rows.Add(new StudyRow(sparsity, method, seed, m.TestAccuracy, m.TrainAccuracy, m.TestLoss, m.TrainLoss,
            m.Sparsity, System.IO.Path.GetRelativePath(folder.Path, outcome.Run.Path), m.WallSeconds,
            m.TrainAccuracyClean, m.TrainAccuracyNoisy, TrainingCost.Of(outcome.Run, m, c.BatchSize)));
        var series = FisherLog.Read(outcome.Run.MetricsFile, method, sparsity, seed);
        if (series is not null) _fisher.Add(series);
        return outcome.Run;
    }

    /// <summary>M = criterion(Sol-D) at sparsity s (the study's criterion and budget), saved once.</summary>
    private string MaskFromSolution(RunFolder dense, double s, string tag) =>
        SavedMask($"solution-{tag}", dense, "final", new PruningOptions(s, config.Criterion, config.Budget, null, config.Train.ScoreBatches, ParseSeed(tag), false));

    /// <summary>A pruning-at-init control: the criterion applied to Init-D at the same sparsity.</summary>
    private string MaskAtInit(RunFolder dense, double s, string criterion, string tag) =>
        SavedMask($"{criterion}-init-{tag}", dense, "init", new PruningOptions(s, criterion, config.Budget, null, config.Train.ScoreBatches, ParseSeed(tag), false));

    /// <summary>A random mask with M's per-layer sparsity: separates "which weights" from "how many per layer".</summary>
    private string RandomLikeMask(RunFolder dense, string maskFile, string tag)
    {
        using var m = Mask.Load(maskFile);
        string overrides = string.Join(",", m.Layers.Select(l => $"{l.Name}={GapStudyConfig.Fmt(l.Sparsity)}"));
        return SavedMask($"random-{tag}", dense, "init", new PruningOptions(m.Sparsity, "random", "uniform", overrides, 1, ParseSeed(tag), false));
    }

    private string SavedMask(string label, RunFolder dense, string checkpoint, PruningOptions options)
    {
        string file = folder.MaskFile(label);
        if (File.Exists(file)) return file;
        using var saved = SavedRun.Open(dense.Path, checkpoint);
        var c = saved.Config;
        using var data = DatasetCatalog.Load(DataOptions.For(c));
        var loader = new BatchLoader(data.Train, data.Info, c.BatchSize, train: true, CPU);
        IEnumerable<(Tensor, Tensor)> Scoring() => Enumerable.Range(0, Math.Min(options.ScoreBatches, loader.BatchesPerEpoch))
            .Select(i => loader.Batch(options.Seed, 0, i));
        using var mask = Pruning.Run(options, saved.Model, saved.Prunable, Scoring, saved.Input, observer.Message, spec: saved.Spec);
        Directory.CreateDirectory(folder.MasksDir);
        mask.Save(file, new Dictionary<string, string> { ["source"] = $"{dense.Path}:{checkpoint}", ["criterion"] = options.Criterion });
        return file;
    }

    private void Path(string fromName, RunFolder fromRun, string fromCheckpoint, string toName, RunFolder toRun, string toCheckpoint, double s, long seed)
    {
        string label = $"{fromName}-to-{toName}-s{GapStudyConfig.Fmt(s)}-seed{seed}";
        string file = folder.PathFile(label);
        StudyPath path;
        if (File.Exists(file))
        {
            path = Json.Deserialize<StudyPath>(File.ReadAllText(file));
        }
        else
        {
            observer.Message($"[study] path {label}");
            var points = PathRunner.Evaluate(fromRun, fromCheckpoint, toRun, toCheckpoint, config);
            path = new StudyPath(fromName, toName, s, seed,
                [.. points.Select(p => p.Alpha)], [.. points.Select(p => p.TrainLoss)], [.. points.Select(p => p.TestLoss)],
                [.. points.Select(p => p.TrainAccuracy)], [.. points.Select(p => p.TestAccuracy)]);
            Directory.CreateDirectory(folder.PathsDir);
            AtomicFile.WriteAllText(file, Json.Serialize(path));
        }
        _paths.Add(path);
    }

    /// <summary>Curvature of a solution, measured once and cached in the study folder.</summary>
    private void Curvature(string method, RunFolder run, double s, long seed)
    {
        string file = System.IO.Path.Combine(folder.Path, "curvature", $"{method}-s{GapStudyConfig.Fmt(s)}-seed{seed}.json");
        CurvatureRow row;
        if (File.Exists(file))
        {
            row = Json.Deserialize<CurvatureRow>(File.ReadAllText(file));
        }
        else
        {
            observer.Message($"[study] curvature of {method} at sparsity {GapStudyConfig.Fmt(s)}, seed {seed}");
            using var saved = SavedRun.Open(run.Path, "final");
            using var mask = saved.LoadMask();
            using var data = DatasetCatalog.Load(DataOptions.For(saved.Config));
            var device = TorchRuntime.ResolveDevice(saved.Config.Device);
            saved.Model.to(device);
            var c = CurvatureProbe.Measure(saved.Model, data.Train, data.Info, mask,
                new CurvatureOptions(Samples: (int)Math.Min(config.CurvatureSamples, data.Train.Count), Seed: seed), device);
            row = new CurvatureRow(s, method, seed, c.TopEigenvalue, c.HessianTrace, c.JacobianNorm);
            Directory.CreateDirectory(System.IO.Path.GetDirectoryName(file)!);
            AtomicFile.WriteAllText(file, Json.Serialize(row));
        }
        _curvature.Add(row);
    }

    private static long ParseSeed(string tag) => long.Parse(tag[(tag.LastIndexOf("seed", StringComparison.Ordinal) + 4)..], System.Globalization.CultureInfo.InvariantCulture);

}
