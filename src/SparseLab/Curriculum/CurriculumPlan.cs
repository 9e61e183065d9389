// A data curriculum for one run (METHODS §7): score every training example under a
// reference model, order the examples, and draw each step's batch from the prefix the
// pacing function allows. Shared references (warm-ups, saved runs) are scored once and
// cached by (reference, kind, data); the run's own init and self-paced re-scorings are
// cached in the run folder, so a resumed run continues with the very same order.
using System.Security.Cryptography;
using System.Text;
using SparseLab.Data;
using SparseLab.Foundations;
using SparseLab.Models;
using SparseLab.Sparsity;
using SparseLab.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace SparseLab.Curriculum;

public sealed class CurriculumPlan : IBatchPlan
{
    private readonly TrainConfig _config;
    private readonly ScoreSpec _spec;
    private readonly CurriculumExamples _examples;
    private readonly RunFolder _run;
    private readonly InputShape _input;
    private readonly ITrainingObserver _observer;
    private readonly long[] _labels;
    private readonly List<ReferenceRun> _referenceRuns = [];
    private readonly List<Scoring> _scorings = [];
    private ExampleScores? _shared;   // scores under a warm-up, a saved run or a file: known before training
    private CurriculumSampler? _sampler;

    /// <param name="examples">What is ordered: the training images, or a language model's windows.</param>
    public CurriculumPlan(TrainConfig config, CurriculumExamples examples, RunFolder run, InputShape input, ITrainingObserver observer)
    {
        _config = config;
        _spec = ScoreSpec.Parse(config.Curriculum.Score ?? throw new ArgumentException("the config has no curriculum", nameof(config)), config.Curriculum.Reference);
        (_examples, _run, _input, _observer) = (examples, run, input, observer);
        _labels = examples.Labels;
    }

    /// <summary>The run's mask (null: dense); the init and self references score with it.</summary>
    public Mask? Mask { get; set; }

    public string CacheDir => Path.GetFullPath(_config.Curriculum.ScoreCache ?? Path.Combine("runs", "score-cache"));

    /// <summary>
    /// Scores under shared references, before the run builds its model: warm-up runs are trained here
    /// (each a resumable run folder in the cache), a saved run is opened, a score file is read and checked.
    /// </summary>
    public void Prepare(Device device)
    {
        var r = _spec.Reference;
        Check.That(r.Kind != "dense", $"{ConfigError.Field("Curriculum.Reference")} {r}: only a study has a dense run to score under; " +
            "in a single run give it as run:DIR[:CHECKPOINT]");
        if (_spec.Kind == "random")
        {
            _shared = new ExampleScores(ExampleScorer.Random(_examples.Count, _config.Seed), _labels);
            _scorings.Add(new Scoring(0, "none", 0, 0, 0));
        }
        else if (_spec.Kind == "file")
        {
            _shared = ExampleScores.Load(_spec.File!, _labels, _spec.Column);
            _scorings.Add(new Scoring(0, "file", 0, 0, 0));
        }
        else if (r.Kind == "warmup") _shared = ScoreWarmups(r.Epochs, device);
        else if (r.Kind == "run") _shared = ScoreSavedRun(r, device);
    }

    public void Begin(TrainingContext context)
    {
        var scores = _shared ?? OwnInitScores(context);
        var order = BuildOrder(scores);
        var pacing = PacingOptions.For(_config.Curriculum, context.StepsPerEpoch, context.TotalSteps);
        _sampler = new CurriculumSampler(order, pacing, context.TotalSteps, _config.Optimization.BatchSize, _config.Seed);
        if (_spec.Reference.Kind == "self")
        {
            int k = _spec.Reference.Epochs, last = context.Epoch / k * k;
            if (last > 0 && last < context.Epoch) _sampler.Order = BuildOrder(LoadOwn(SelfFile(last)));   // OnEpochBegin re-scores when last == Epoch
            long flops = SparseFlops(context.Model);
            for (int e = k; e < EpochsOf(context); e += k)
                _scorings.Add(new Scoring(e, "self", _examples.Count, Passes, flops));
        }
        var c = _config.Curriculum;
        AtomicFile.WriteAllText(Path.Combine(_run.Path, CurriculumRecord.FileName), Json.Serialize(new CurriculumRecord(
            c.Score!, _spec.Reference.ToString(), c.Order, c.BalanceClasses, pacing, _scorings, _referenceRuns)));
        _observer.Message($"curriculum: {c.Score} under {_spec.Reference}, {c.Order} order, {pacing.Name} pacing " +
                          $"from {_sampler.PoolSize(0)} of {order.Length} examples");
    }

    public void OnEpochBegin(TrainingContext context)
    {
        int k = _spec.Reference.Kind == "self" ? _spec.Reference.Epochs : 0;
        if (k == 0 || context.Epoch == 0 || context.Epoch % k != 0) return;
        string file = SelfFile(context.Epoch);
        var scores = File.Exists(file) ? LoadOwn(file) : ScoreAndCache(context.Model, Mask, file, context.Device);
        _sampler!.Order = BuildOrder(scores);
        _observer.Message($"curriculum: re-scored by the current model at epoch {context.Epoch}");
    }

    public long[] Rows(long step) => _sampler!.Rows(step);

    private long[] BuildOrder(ExampleScores scores) =>
        ExampleOrder.Build(scores.Scores, scores.Labels, _config.Curriculum.Order, _config.Curriculum.BalanceClasses, _config.Seed);

    private int EpochsOf(TrainingContext c) => (int)((c.TotalSteps + c.StepsPerEpoch - 1) / c.StepsPerEpoch);

    /// <summary>Scores under this run's own initialization (Init-S for a sparse run), masked.</summary>
    private ExampleScores OwnInitScores(TrainingContext context)
    {
        string file = Path.Combine(_run.Path, $"scores-init-{_spec.Kind}.csv");
        _scorings.Add(new Scoring(0, "init", _examples.Count, Passes, SparseFlops(context.Model)));
        if (File.Exists(file)) return LoadOwn(file);
        if (context.Step == 0) return ScoreAndCache(context.Model, Mask, file, context.Device);
        using var init = SavedRun.Open(_run.Path, "init");   // resumed before the scores were written: score the saved init
        init.Model.to(context.Device);
        return ScoreAndCache(init.Model, Mask, file, context.Device);
    }

    private string SelfFile(int epoch) => Path.Combine(_run.Path, $"scores-self-e{epoch}-{_spec.Kind}.csv");

    private ExampleScores LoadOwn(string file) => ExampleScores.Load(file, _labels);

    private ExampleScores ScoreAndCache(nn.Module<Tensor, Tensor> model, Mask? mask, string file, Device device)
    {
        _observer.Message($"curriculum: scoring {_examples.Count} examples ({_spec.Kind})");
        var scores = new ExampleScores(Score(model, mask, device), _labels);
        scores.Save(file);
        return scores;
    }

    /// <summary>
    /// Dense warm-ups of K epochs from this run's seed (EL2N: ScoreRuns of them, seeds seed, seed+1, …), each
    /// a run folder in the cache; the score is the mean over the warm-ups.
    /// </summary>
    private ExampleScores ScoreWarmups(int epochs, Device device)
    {
        int runs = _spec.Kind == "el2n" ? _config.Curriculum.ScoreRuns : 1;
        var configs = Enumerable.Range(0, runs).Select(i => WarmupConfig(epochs, _config.Seed + i)).ToList();
        string key = Key(string.Join("|", configs.Select(ConfigHash.Canonical)), _spec.Kind);
        string file = Path.Combine(CacheDir, $"scores-warmup{epochs}-{_spec.Kind}-{key}.csv");
        using var gate = ExclusiveFile.Acquire(Path.Combine(CacheDir, $"warmup{epochs}-{_spec.Kind}-{key}.lock"));   // runs of other processes share the cache
        var sum = new double[_examples.Count];
        foreach (var c in configs)
        {
            string dir = Path.Combine(CacheDir, $"warmup-{ConfigHash.Hash(c)}");
            var outcome = TrainingRun.Execute(c, dir, resume: true, _observer, strictKernels: false);   // a finished warm-up is skipped
            _referenceRuns.Add(new ReferenceRun(outcome.Run.Path, outcome.Summary.Steps, c.Optimization.BatchSize, outcome.Summary.FlopsDense));
            _scorings.Add(new Scoring(0, "warmup", _examples.Count, Passes, outcome.Summary.FlopsDense));
            if (File.Exists(file)) continue;
            using var saved = SavedRun.Open(dir);
            saved.Model.to(device);
            var s = Score(saved.Model, null, device);
            for (int i = 0; i < s.Length; i++) sum[i] += s[i] / runs;
        }
        if (File.Exists(file)) return ExampleScores.Load(file, _labels);
        var scores = new ExampleScores(sum, _labels);
        scores.Save(file);
        return scores;
    }

    /// <summary>The dense recipe of this run, K epochs long, without its mask, curriculum or observers.</summary>
    /// <remarks>The pacing parameters stay as they are: warm-ups cached before the config was split by concept keep their keys.</remarks>
    private TrainConfig WarmupConfig(int epochs, long seed)
    {
        var dense = new SparsityConfig();
        return _config with
        {
            Seed = seed,
            // Every warm-up trains on the labels the run scores: the same corruption, whatever its own seed.
            Data = _config.Data.LabelNoise > 0 ? _config.Data with { NoiseSeed = _config.LabelNoiseSeed } : _config.Data,
            Optimization = _config.Optimization with { Epochs = epochs, Steps = null },
            Sparsity = dense with { KeepFirstDense = _config.Sparsity.KeepFirstDense, KeepLastDense = _config.Sparsity.KeepLastDense, PruneAt = _config.Sparsity.PruneAt },
            Model = _config.Model with { InitFrom = null, InitSeed = null },
            Curriculum = _config.Curriculum with { Score = null, Reference = null, Order = new CurriculumConfig().Order, BalanceClasses = false, Pacing = null },
            Probes = _config.Probes with { FisherEvery = null },
        };
    }

    private ExampleScores ScoreSavedRun(ScoreReference r, Device device)
    {
        string reference = ConfigError.Field("Curriculum.Reference");
        Check.That(Directory.Exists(r.Run), $"{reference} {r}: no such run folder '{r.Run}'");
        using var saved = SavedRun.Open(r.Run!, r.Checkpoint);
        Check.That(saved.Config.Data.Dataset == _config.Data.Dataset, $"{reference} {r}: that run trained on {saved.Config.Data.Dataset}, this one on {_config.Data.Dataset}");
        using var mask = saved.LoadMask();
        var d = _config.Data;
        string data = $"{d.Dataset}|{d.LimitTrain}|{d.Val}|{d.LabelNoise}|{_config.LabelNoiseSeed}";
        string key = Key($"{ConfigHash.Canonical(saved.Config)}|{r.Checkpoint}|{data}", _spec.Kind);
        string file = Path.Combine(CacheDir, $"scores-run-{_spec.Kind}-{key}.csv");
        long flops = SparsityAccounting.Measure(saved.Model, saved.Input).Sum(c => c.FlopsSparse);
        _scorings.Add(new Scoring(0, "run", _examples.Count, Passes, flops));
        if (File.Exists(file)) return ExampleScores.Load(file, _labels);
        saved.Model.to(device);
        _observer.Message($"curriculum: scoring {_examples.Count} examples ({_spec.Kind}) under {r.Run}:{r.Checkpoint}");
        var scores = new ExampleScores(Score(saved.Model, mask, device), _labels);
        scores.Save(file);
        return scores;
    }

    /// <summary>Forward-pass equivalents one example costs to score with this curriculum's kind.</summary>
    private double Passes => ExampleScorer.PassesPerExample(_spec.Kind, _config.Probes.FisherDraws, _examples.Classes);

    private double[] Score(nn.Module<Tensor, Tensor> model, Mask? mask, Device device) =>
        _examples.Score(_spec.Kind, model, mask, _config.Optimization.BatchSize, _config.Probes.FisherDraws, _config.Seed, device);

    private long SparseFlops(nn.Module<Tensor, Tensor> model) => SparsityAccounting.Measure(model, _input).Sum(c => c.FlopsSparse);

    private string Key(string reference, string kind) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"{reference}|{kind}|draws={_config.Probes.FisherDraws}|batch={_config.Optimization.BatchSize}")))[..12];
}
