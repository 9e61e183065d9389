// The gap study (the seed's experiment; Evci et al. 2020): for every seed,
// train dense (Init-D → Sol-D); for every sparsity prune Sol-D to a mask M;
// finetune Sol-D ⊙ M (Init-F → Sol-F) and train Init-D ⊙ M from scratch
// (Init-S → Sol-S) with the same mask; optional controls; then the linear
// paths between the solutions. With --methods imp, gmp, set, rigl the
// schedules of METHODS §4 reach the same sparsities their own way and enter
// the same tables, Fisher series and paths (Sol-X → Sol-F), each with its
// training cost in dense runs. Every run is a folder named by its config
// hash: rerunning an interrupted study skips finished runs and resumes the
// unfinished one.
using SparseLab.Data;
using SparseLab.Foundations;
using SparseLab.Information;
using SparseLab.Models;
using SparseLab.Schedules;
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
    private readonly Dictionary<long, double> _denseFlops = [];
    private readonly Dictionary<long, ImpResult> _imp = [];
    private readonly TrainConfig _base = WithoutScheduleOptions(config.Train);
    private int _done;
    private int Planned => config.Seeds * (1 + config.Sparsities.Length * config.Methods.Count(m => m != "imp")
        + (config.Methods.Contains("imp") ? ImpPlan.Make(config.ImpRate, null, config.Sparsities).Levels : 0));

    // The schedule options (--update-every, --drop-fraction, ...) only concern the schedule runs; the others keep
    // the folder names (config hashes) they have without them.
    private static TrainConfig WithoutScheduleOptions(TrainConfig c)
    {
        var d = new TrainConfig();
        return c with { UpdateEvery = d.UpdateEvery, UpdateStart = d.UpdateStart, UpdateEnd = d.UpdateEnd, DropFraction = d.DropFraction, InitialSparsity = d.InitialSparsity };
    }

    public GapStudyResult Run()
    {
        config.Validate();
        int threads = TorchRuntime.SetThreads(config.Train.Threads);
        var device = TorchRuntime.ResolveDevice(config.Train.Device);
        var environment = RunEnvironment.Capture(threads, device.type.ToString().ToLowerInvariant());
        // Check the data once, and the schedules against the run length, before the folder is claimed.
        long trainCount;
        using (var data = DatasetCatalog.Load(DataOptions.For(config.Train))) trainCount = data.Train.Count;
        CheckSchedules(trainCount);
        folder.Claim("gap", config.Canonical(), environment);

        foreach (long seed in config.SeedValues)
        {
            var denseConfig = _base with { Seed = seed };
            var imp = config.Methods.Contains("imp") ? ImpDriverFor(denseConfig) : null;
            var dense = Train("dense", denseConfig, sparsity: 0, seed, callbacks: imp is null ? null : imp.Level0Callbacks);
            if (imp is not null) _imp[seed] = RunImp(imp, dense, seed);
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
        var finetune = Train("finetune", _base with
        {
            Seed = seed, MaskFrom = mask, InitFrom = dense.Path,
            Epochs = config.EffectiveFinetuneEpochs, Lr = config.EffectiveFinetuneLr,
        }, s, seed, upstreamCost: 1);   // finetuning needs the dense run first
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

        var solutions = new List<(string Method, RunFolder Run)>();
        if (_imp.TryGetValue(seed, out var imp)) solutions.Add(("imp", AddImpRow(imp, s, seed)));
        foreach (var method in config.Methods.Where(GapStudyConfig.IsSingleRunSchedule))
            solutions.Add((method, Train(method, ScheduleConfig(seed, s, method), s, seed)));

        if (config.PathPoints >= 2)
        {
            Path("init-s", scratch, "init", "sol-f", finetune, "final", s, seed);
            Path("sol-s", scratch, "final", "sol-f", finetune, "final", s, seed);
            Path("init-s", scratch, "init", "sol-s", scratch, "final", s, seed);
            // Different masks at the two ends: the path interpolates every weight (no mask).
            foreach (var (method, run) in solutions)
                Path($"sol-{method}", run, "final", "sol-f", finetune, "final", s, seed, sameMask: false);
        }
    }

    /// <summary>Refuses a schedule window beyond the run or an IMP rewind point past its end, before any run starts.</summary>
    private void CheckSchedules(long trainCount)
    {
        long steps = config.Train.Steps ?? config.Train.Epochs * ((trainCount + config.Train.BatchSize - 1) / config.Train.BatchSize);
        foreach (var method in config.Methods.Where(GapStudyConfig.IsSingleRunSchedule))
            foreach (double s in config.Sparsities)
                MaskSchedules.Create(ScheduleConfig(1, s, method), steps);
        if (config.Methods.Contains("imp")) ImpDriverFor(_base with { Seed = 1 });
    }

    /// <summary>GMP, SET or RigL trained from the dense recipe's init to sparsity s; SET/RigL start from a random ERK mask (Evci et al. 2020), GMP prunes by the study's budget.</summary>
    private TrainConfig ScheduleConfig(long seed, double s, string method) => config.Train with
    {
        Seed = seed, Sparsity = s, Schedule = method,
        Criterion = method == "gmp" ? "magnitude" : "random", Budget = method == "gmp" ? config.Budget : "erk",
    };

    private ImpDriver ImpDriverFor(TrainConfig denseConfig) =>
        new(Fisher(denseConfig), new ImpOptions(config.ImpRate, null, config.Sparsities, RewindPoint.Parse(config.Rewind)), observer);

    /// <summary>The IMP chain of one seed; level 0 is the study's dense run, later levels are runs "imp-lKK-seedN".</summary>
    private ImpResult RunImp(ImpDriver driver, RunFolder dense, long seed)
    {
        var result = driver.Run(
            (k, c) => k == 0 ? dense.Path : folder.RunDir($"imp-l{k:00}-seed{seed}", c),
            k => folder.MaskFile($"imp-l{k:00}-seed{seed}"));
        _done += result.Levels.Count - 1;
        return result;
    }

    /// <summary>The row of the IMP level that reaches s; its cost counts every level up to it, the dense level 0 included.</summary>
    private RunFolder AddImpRow(ImpResult imp, double s, long seed)
    {
        var level = imp.LevelFor(s);
        var m = level.Summary;
        double? cost = imp.Levels.Take(level.Level + 1).All(l => l.Summary.TrainFlops is not null) && _denseFlops.TryGetValue(seed, out var dense)
            ? imp.Levels.Take(level.Level + 1).Sum(l => l.Summary.TrainFlops!.Value) / dense : null;
        var run = new RunFolder(level.Run);
        _rows.Add(new StudyRow(s, "imp", seed, m.TestAccuracy, m.TrainAccuracy, m.TestLoss, m.TrainLoss,
            m.Sparsity, System.IO.Path.GetRelativePath(folder.Path, run.Path), m.WallSeconds, m.TrainAccuracyClean, m.TrainAccuracyNoisy, cost));
        var series = FisherLog.Read(run.MetricsFile, "imp", s, seed);
        if (series is not null) _fisher.Add(series);
        return run;
    }

    /// <summary>Init-S: Init-D ⊙ M (original), a fresh init ⊙ M (reinit), or Init-D ⊙ M rescaled per unit (scaled).</summary>
    private TrainConfig ScratchConfig(long seed, string mask, RunFolder dense) => config.ScratchInit switch
    {
        "reinit" => _base with { Seed = seed, MaskFrom = mask, InitSeed = seed + 1_000_000 },
        "scaled" => _base with { Seed = seed, MaskFrom = mask, InitFrom = dense.Path + ":init", RescaleInit = true },
        _ => _base with { Seed = seed, MaskFrom = mask, InitFrom = dense.Path + ":init" },
    };

    /// <summary>The run's training FLOPs; runs finished before they were logged: 3 forwards per example at the final density.</summary>
    private static double TrainFlops(TrainingSummary m, TrainConfig c) => m.TrainFlops
        ?? 3.0 * (m.Sparsity > 0 ? m.FlopsSparse : m.FlopsDense) * (c.Steps is null ? (double)c.Epochs * m.TrainExamples : (double)m.Steps * c.BatchSize);

    private TrainConfig Fisher(TrainConfig c) => config.Fisher ? c with { FisherEvery = c.FisherEvery ?? "epoch" } : c;

    /// <param name="callbacks">Extra callbacks given the run folder (IMP's rewind checkpoint on the dense run).</param>
    /// <param name="upstreamCost">Training cost before this run, in dense runs (finetune: the dense run).</param>
    private RunFolder Train(string method, TrainConfig c, double sparsity, long seed,
        Func<string, IReadOnlyList<ITrainingCallback>>? callbacks = null, double upstreamCost = 0)
    {
        string label = sparsity == 0 ? $"{method}-seed{seed}" : $"{method}-s{GapStudyConfig.Fmt(sparsity)}-seed{seed}";
        _done++;
        observer.Message($"[study] run {_done}/{Planned}: {label}");
        c = Fisher(c);
        string dir = folder.RunDir(label, c);
        var outcome = TrainingRun.Execute(c, dir, resume: true, observer, callbacks?.Invoke(dir));
        if (outcome.AlreadyFinished) observer.Message($"[study] {label}: finished earlier, skipped");
        var m = outcome.Summary;
        double flops = TrainFlops(m, c) + Curriculum.CurriculumRecord.ExtraFlopsOf(outcome.Run.Path);   // a curriculum's scoring and reference runs count
        if (method == "dense") _denseFlops[seed] = flops;
        double? cost = _denseFlops.TryGetValue(seed, out var dense) ? upstreamCost + flops / dense : null;
        _rows.Add(new StudyRow(sparsity, method, seed, m.TestAccuracy, m.TrainAccuracy, m.TestLoss, m.TrainLoss,
            m.Sparsity, System.IO.Path.GetRelativePath(folder.Path, outcome.Run.Path), m.WallSeconds,
            m.TrainAccuracyClean, m.TrainAccuracyNoisy, cost));
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

    private void Path(string fromName, RunFolder fromRun, string fromCheckpoint, string toName, RunFolder toRun, string toCheckpoint, double s, long seed,
        bool sameMask = true)
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
            var points = PathRunner.Evaluate(fromRun, fromCheckpoint, toRun, toCheckpoint, config, sameMask);
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
