// The gap study (the seed's experiment; Evci et al. 2020): for every seed,
// train dense (Init-D → Sol-D); for every sparsity prune Sol-D to a mask M and
// run every method of the study with it (Studies/Methods: sparse finetuning,
// sparse scratch, controls, curriculum arms, schedules that reach the sparsity
// their own way); then the linear paths between the solutions. Every run is a
// folder named by its config hash: rerunning an interrupted study skips
// finished runs and resumes the unfinished one, and a study copied or moved
// elsewhere finds its runs by content (StudyFolder.Adopt).
using SparseLab.Data;
using SparseLab.Foundations;
using SparseLab.Information;
using SparseLab.Sparsity;
using SparseLab.Studies.Execution;
using SparseLab.Studies.Methods;
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
    private readonly Dictionary<(string Method, long Seed), object> _perSeed = [];
    private readonly Dictionary<string, MaskRecipe> _maskRecipes = [];
    private readonly SolutionProbes _probes = new(config, folder, observer);
    private int _done;
    /// <summary>While the study plans its runs for another executor: the runs so far (nothing trains, no mask is made).</summary>
    private List<PlannedRun>? _plan;
    /// <summary>Collecting after another executor trained the runs: a run that has not finished is an error, never trained here.</summary>
    private bool _collectOnly;

    public GapStudyConfig Config => config;
    public StudyFolder Folder => folder;
    public ITrainingObserver Observer => observer;

    /// <summary>The recipe of the dense, finetune, scratch and curriculum runs: the schedule options only concern the schedule runs.</summary>
    public TrainConfig Base { get; } = config.Train with { MaskSchedule = new() };

    /// <summary>Optimizer steps per epoch and in a whole dense run, known once the data is loaded.</summary>
    public long StepsPerEpoch { get; private set; }
    public long TotalSteps { get; private set; }

    /// <summary>Runs the study in this process (the local executor).</summary>
    public GapStudyResult Run() => Run(LocalExecutor.Instance)!;

    /// <summary>Runs the study with its runs trained by <paramref name="executor"/>; null when they were only submitted (--no-wait).</summary>
    public GapStudyResult? Run(IRunExecutor executor)
    {
        config.Validate();
        if (!executor.InProcess)
        {
            foreach (var m in config.MethodList.Where(m => m.NotOnScheduler is not null))
                throw new ConfigError($"{ConfigError.Field(nameof(GapStudyConfig.Methods))} {m.Name} cannot run on a scheduler yet ({m.NotOnScheduler}); use --executor local for it");
            executor.CheckBeforeClaim();
        }
        int threads = TorchRuntime.SetThreads(config.Train.Runtime.Threads, observer.Message);
        var device = TorchRuntime.ResolveDevice(config.Train.Runtime.Device);
        var environment = RunEnvironment.Capture(threads, device.type.ToString().ToLowerInvariant());
        // Check the data once, and the schedules against the run length, before the folder is claimed.
        var o = config.Train.Optimization;
        using (var data = InTrainSection(() => TrainingRun.Load(config.Train))) StepsPerEpoch = data.StepsPerEpoch(o.BatchSize);
        TotalSteps = o.Steps ?? o.Epochs * StepsPerEpoch;
        foreach (var m in config.MethodList) m.CheckBeforeRuns(this);
        folder.Claim("gap", config.Canonical(), environment, legacy: config.LegacyCanonical());

        if (!executor.InProcess)
        {
            folder.WriteStudyConfig(ConfigJson.Write(config));   // what `study collect` rebuilds the study from
            if (!executor.Execute(Plan(), observer)) return null;
            _collectOnly = true;
        }
        EverySeed();

        var result = StudyTables.Build(config, environment, _rows, _paths) with
        {
            Fisher = _fisher, Curvature = _curvature, FisherGaps = _fisher.Count == 0 ? null : FisherComparison.Build(_fisher),
            SolutionRatios = _curvature.Count == 0 ? null : SolutionComparison.Build(_curvature),
            Samples = DatasetCatalog.IsText(config.Train.Data.Dataset) ? Samples() : null,
        };
        AtomicFile.WriteAllText(folder.ResultFile, Json.Serialize(result));
        return result;
    }

    /// <summary>Every run of the study, in the order the local executor trains them: per seed the dense run, then every sparsity.</summary>
    private void EverySeed()
    {
        foreach (long seed in config.SeedValues)
        {
            var denseConfig = DenseConfig(seed);
            string denseDir = folder.RunDir($"{DenseRun.Name}-seed{seed}", denseConfig);
            var callbacks = config.MethodList.SelectMany(m => m.DenseCallbacks(this, seed, denseDir))
                .DistinctBy(c => c is EpochCheckpoint e ? e.Path : (object)c).ToList();   // arms that share a reference share its checkpoint
            var dense = Train(DenseRun.Name, denseConfig, new SparseCell(0, seed, null!, ""), callbacks: callbacks);
            if (_plan is null)
            {
                foreach (var m in config.MethodList) m.AfterDense(this, seed, dense);
                if (config.MeasuresCurvature) _curvature.Add(_probes.Measure(DenseRun.Name, dense, new SparseCell(0, seed, dense, "")));   // Sol-D, once per seed
            }
            foreach (double s in config.Sparsities)
                RunSparsity(new SparseCell(s, seed, dense, MaskFromSolution(dense, s, seed)));
        }
    }

    /// <summary>Every run as a run file, without training or making masks: what another executor is handed.</summary>
    private StudyPlan Plan()
    {
        _plan = [];
        try
        {
            EverySeed();
            return new StudyPlan(folder, _plan);
        }
        finally
        {
            _plan = null;
            _done = 0;
        }
    }

    private void RunSparsity(SparseCell cell)
    {
        var solutions = config.MethodList.Select(m => (Method: m, Run: m.Run(this, cell))).ToList();
        if (_plan is not null) return;   // curvature and paths are measured once the runs are done
        var finetune = solutions.Single(x => x.Method is Finetune).Run;
        var scratch = solutions.Single(x => x.Method is Scratch).Run;
        if (config.MeasuresCurvature)   // Ye et al. 2022's comparison at the solutions: every Baseline method (finetune, scratch, lottery, …)
            foreach (var (method, run) in solutions.Where(x => x.Method.Kind == MethodKind.Baseline))
                _curvature.Add(_probes.Measure(method.Name, run, cell));
        if (config.PathPoints < 2) return;
        Path("init-s", scratch, "init", "sol-f", finetune, "final", cell);
        Path("sol-s", scratch, "final", "sol-f", finetune, "final", cell);
        Path("init-s", scratch, "init", "sol-s", scratch, "final", cell);
        // Different masks at the two ends: the path interpolates every weight (no mask).
        foreach (var (method, run) in solutions.Where(x => x.Method.PathToFinetune))
            Path($"sol-{method.Name}", run, "final", "sol-f", finetune, "final", cell, sameMask: false);
    }

    /// <summary>The seed's dense run: the study's recipe, Fisher traces tracked when the study asks.</summary>
    public TrainConfig DenseConfig(long seed) => Fisher(Base with { Seed = seed });

    /// <summary>
    /// Init-S under mask M: a fresh init (reinit, the seed's sparse scratch: same init family, a new draw), Init-D ⊙ M
    /// (original) or Init-D ⊙ M rescaled per unit (scaled); trained for --scratch-epochs on the sparse schedule.
    /// </summary>
    public TrainConfig ScratchConfig(long seed, string mask, RunFolder dense)
    {
        var c = Sparse(Base with { Seed = seed, Sparsity = Base.Sparsity with { MaskFrom = mask } }, config.EffectiveScratchEpochs);
        return config.ScratchInit switch
        {
            "reinit" => c with { Model = c.Model with { InitSeed = seed + 1_000_000 } },
            "scaled" => c with { Model = c.Model with { InitFrom = dense.Path + ":init" }, Sparsity = c.Sparsity with { RescaleInit = true } },
            _ => c with { Model = c.Model with { InitFrom = dense.Path + ":init" } },
        };
    }

    /// <summary>The lottery arm's start: Init-D ⊙ M, whatever --scratch-init says; trained as scratch is.</summary>
    public TrainConfig LotteryConfig(long seed, string mask, RunFolder dense) =>
        Sparse(Base with { Seed = seed, Sparsity = Base.Sparsity with { MaskFrom = mask }, Model = Base.Model with { InitFrom = dense.Path + ":init" } },
            config.EffectiveScratchEpochs);

    /// <summary>A sparse run's length and step schedule: <paramref name="epochs"/>, and --sparse-milestones when given.</summary>
    public TrainConfig Sparse(TrainConfig c, int epochs) => c with
    {
        Optimization = c.Optimization with { Epochs = epochs, Milestones = config.SparseMilestones ?? c.Optimization.Milestones },
    };

    /// <summary>The run folder of a run of this study, taking over one written before runs were named by content.</summary>
    public string RunDir(string label, TrainConfig c)
    {
        string dir = folder.RunDir(label, c);
        if (folder.Adopt(label, c, dir)) observer.Message($"[study] {label}: adopted the run folder written before runs were named by content");
        return dir;
    }

    /// <summary>Adds runs trained outside <see cref="Train"/> (IMP's levels) to the progress count.</summary>
    public void CountRuns(int runs) => _done += runs;

    public void Remember(StudyMethod method, long seed, object state) => _perSeed[(method.Name, seed)] = state;
    public T Recall<T>(StudyMethod method, long seed) => (T)_perSeed[(method.Name, seed)];

    /// <summary>Runs work whose ConfigError names fields of the study's Train record.</summary>
    public T InTrainSection<T>(Func<T> work)
    {
        try
        {
            return work();
        }
        catch (ConfigError e)
        {
            throw e.Within(nameof(GapStudyConfig.Train));
        }
    }

    /// <summary>The row of the IMP level that reaches s; its cost counts every level up to it, the dense level 0 included.</summary>
    public RunFolder AddImpRow(Schedules.ImpResult imp, SparseCell cell)
    {
        var level = imp.LevelFor(cell.Sparsity);
        var m = level.Summary;
        var upTo = imp.Levels.Take(level.Level + 1).ToList();
        double? cost = upTo.All(l => l.Summary.TrainFlops is not null) && _denseFlops.TryGetValue(cell.Seed, out var dense)
            ? upTo.Sum(l => l.Summary.TrainFlops!.Value) / dense : null;
        var run = new RunFolder(level.Run);
        double? own = level.Summary.TrainFlops is { } f && _denseFlops.TryGetValue(cell.Seed, out var d0) ? f / d0 : null;
        AddRow(ImpMethod.Id, cell, m, run, cost, own);
        return run;
    }

    /// <param name="callbacks">Extra callbacks (IMP's rewind checkpoint on the dense run).</param>
    /// <remarks>The row's cost counts the dense run first when the method needs it (StudyMethod.NeedsDenseRun).</remarks>
    public RunFolder Train(string method, TrainConfig c, SparseCell cell, IReadOnlyList<ITrainingCallback>? callbacks = null)
    {
        string label = cell.Sparsity == 0 ? $"{method}-seed{cell.Seed}" : $"{method}-{cell.Tag}";
        c = Fisher(c);
        // Every run's resolved config goes into the study folder as a run file (`sparselab run-config FILE` runs it anywhere).
        var masks = new[] { c.Sparsity.MaskFrom }.OfType<string>().Where(_maskRecipes.ContainsKey).Select(f => _maskRecipes[f]).ToList();
        var spec = new RunSpec(label, folder.RunsDir, c, RunSpec.Describe(callbacks, label), masks);
        string specFile = folder.RunFile(label);
        spec.Write(specFile);
        if (_plan is not null)
        {
            bool isDense = method == DenseRun.Name;
            _plan.Add(new PlannedRun(label, specFile, spec, isDense ? DenseRun.Name : $"seed{cell.Seed}", isDense ? null : $"{DenseRun.Name}-seed{cell.Seed}"));
            return new RunFolder(spec.ResolveDir());
        }
        _done++;
        observer.Message($"[study] run {_done}/{config.PlannedRuns}: {label}");
        string dir = RunDir(label, c);
        if (_collectOnly && !new RunFolder(dir).IsFinished)
            throw new SparseLabException($"the run {label} has not finished ({dir}): its job ended without a summary.json; rerun the study to submit it again");
        var outcome = InTrainSection(() => TrainingRun.Execute(c, dir, resume: true, observer, callbacks, strictKernels: false));
        if (outcome.AlreadyFinished) observer.Message($"[study] {label}: finished earlier, skipped");
        var m = outcome.Summary;
        double flops = TrainFlops(m, c) + Curriculum.CurriculumRecord.ExtraFlopsOf(outcome.Run.Path);   // a curriculum's scoring and reference runs count
        if (method == DenseRun.Name) _denseFlops[cell.Seed] = flops;
        double upstream = StudyMethods.Find(method)?.NeedsDenseRun == true ? 1 : 0;
        double? marginal = _denseFlops.TryGetValue(cell.Seed, out var dense) ? flops / dense : null;
        AddRow(method, cell, m, outcome.Run, upstream + marginal, marginal);
        return outcome.Run;
    }

    private void AddRow(string method, SparseCell cell, TrainingSummary m, RunFolder run, double? cost, double? marginal)
    {
        _rows.Add(new StudyRow(cell.Sparsity, method, cell.Seed, m.TestAccuracy, m.TrainAccuracy, m.TestLoss, m.TrainLoss,
            m.Sparsity, System.IO.Path.GetRelativePath(folder.Path, run.Path), m.WallSeconds, m.TrainAccuracyClean, m.TrainAccuracyNoisy, cost, marginal,
            m.MemorizedFraction ?? m.TrainAccuracyNoisy, m.GeneralizedFraction)
        {
            BestValTestAccuracy = m.BestValTestAccuracy, FrechetLenet = m.FrechetLenet,
        });
        var series = FisherLog.Read(run.MetricsFile, method, cell.Sparsity, cell.Seed);
        if (series is not null) _fisher.Add(series);
    }

    /// <summary>The run's training FLOPs; runs finished before they were logged: 3 forwards per example at the final density.</summary>
    private static double TrainFlops(TrainingSummary m, TrainConfig c)
    {
        var o = c.Optimization;
        return m.TrainFlops ?? 3.0 * (m.Sparsity > 0 ? m.FlopsSparse : m.FlopsDense) * (o.Steps is null ? (double)o.Epochs * m.TrainExamples : (double)m.Steps * o.BatchSize);
    }

    private TrainConfig Fisher(TrainConfig c) => config.TracksFisher ? c with { Probes = c.Probes with { FisherEvery = c.Probes.FisherEvery ?? "epoch" } } : c;

    /// <summary>M = criterion(Sol-D) at sparsity s (the study's criterion and budget), saved once.</summary>
    private string MaskFromSolution(RunFolder dense, double s, long seed) =>
        SavedMask($"solution-s{GapStudyConfig.Fmt(s)}-seed{seed}", dense, "final", new PruningOptions(s, config.Criterion, config.Budget, null, config.Train.Sparsity.ScoreBatches, seed, false));

    /// <summary>A pruning-at-init control's mask: the criterion applied to Init-D at the cell's sparsity.</summary>
    public string MaskAtInit(SparseCell cell, string criterion) =>
        SavedMask($"{criterion}-init-{cell.Tag}", cell.Dense, "init", new PruningOptions(cell.Sparsity, criterion, config.Budget, null, config.Train.Sparsity.ScoreBatches, cell.Seed, false));

    /// <summary>A random mask with M's per-layer sparsity: separates "which weights" from "how many per layer".</summary>
    public string RandomLikeMask(SparseCell cell)
    {
        using var m = Mask.Load(cell.Mask);
        string overrides = string.Join(",", m.Layers.Select(l => $"{l.Name}={GapStudyConfig.Fmt(l.Sparsity)}"));
        return SavedMask($"random-{cell.Tag}", cell.Dense, "init", new PruningOptions(m.Sparsity, "random", "uniform", overrides, 1, cell.Seed, false));
    }

    /// <summary>The mask file, made now (local) or by the first run that needs it (a run file carries its recipe).</summary>
    private string SavedMask(string label, RunFolder dense, string checkpoint, PruningOptions options)
    {
        var recipe = new MaskRecipe(folder.MaskFile(label), dense.Path, checkpoint, options);
        _maskRecipes[recipe.File] = recipe;
        if (_plan is not null || File.Exists(recipe.File)) return recipe.File;
        return recipe.Make(observer.Message);
    }

    private void Path(string fromName, RunFolder fromRun, string fromCheckpoint, string toName, RunFolder toRun, string toCheckpoint, SparseCell cell,
        bool sameMask = true)
    {
        string label = $"{fromName}-to-{toName}-{cell.Tag}";
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
            path = new StudyPath(fromName, toName, cell.Sparsity, cell.Seed,
                [.. points.Select(p => p.Alpha)], [.. points.Select(p => p.TrainLoss)], [.. points.Select(p => p.TestLoss)],
                [.. points.Select(p => p.TrainAccuracy)], [.. points.Select(p => p.TestAccuracy)]);
            Directory.CreateDirectory(folder.PathsDir);
            AtomicFile.WriteAllText(file, Json.Serialize(path));
        }
        _paths.Add(path);
    }

    /// <summary>A language model's text, side by side: dense, finetune and scratch of the first seed at every sparsity, after the same prompt and sampling seed.</summary>
    private List<TextSample> Samples()
    {
        var options = new Models.SamplingOptions(Tokens: 160, Temperature: 0.8, Seed: 1);
        const string prompt = "\n";
        long seed = config.SeedValues.First();
        var samples = new List<TextSample>();
        foreach (var row in _rows.Where(r => r.Seed == seed && r.Method is DenseRun.Name or Finetune.Id or Scratch.Id))
        {
            using var saved = SavedRun.Open(System.IO.Path.Combine(folder.Path, row.Run));
            byte[] text = Models.TextSampler.Continue(saved.Model, System.Text.Encoding.UTF8.GetBytes(prompt), saved.Config.Model.BlockSize, options, CPU);
            samples.Add(new TextSample(row.Sparsity, row.Method, seed, prompt, System.Text.Encoding.UTF8.GetString(text)));
        }
        return samples;
    }
}
