// `sparselab oneshot`: post-training pruning of a finished run in one shot
// (magnitude, Wanda, SparseGPT, and their N:M forms), without retraining, into
// a run folder of its own: the pruned (for SparseGPT, reconstructed) weights
// as checkpoints/final.ckpt, mask.safetensors, config.json (the source's
// config, with an identity of its own), and summary.json (written last) with
// the metrics before and after pruning and after the optional finetuning,
// which is an ordinary run in OUT/finetune started from this folder with its
// mask fixed (--init-from OUT --mask-from OUT).
using System.Diagnostics;
using System.Text.Json.Nodes;
using SparseLab.Cli.Options;
using SparseLab.Cli.Rendering;
using SparseLab.Data;
using SparseLab.Foundations;
using SparseLab.Sparsity;
using SparseLab.Sparsity.Criteria;
using SparseLab.Training;
using SparseLab.Training.Tasks;
using TorchSharp;
using static TorchSharp.torch;

namespace SparseLab.Cli.Commands;

public sealed class OneShotCommand : CliCommand<OneShotCommand.Options>
{
    public sealed record Options
    {
        public RunCheckpoint Source { get; init; } = new();

        [Option("How to prune: magnitude, wanda (|w|·‖x‖ per output row) or sparsegpt (OBS reconstruction, updates the kept weights); nm:N:M, wanda:N:M, sparsegpt:N:M for structured N:M.",
            OneOf = typeof(OneShotCriteria))]
        public string Criterion { get; init; } = "magnitude";

        [Option("Target sparsity over the prunable weights, in [0, 1); required unless the criterion is N:M (which fixes it at 1 − N/M).", Value = "S")]
        public double? Sparsity { get; init; }

        [Option("How the sparsity is spread over layers; uniform (every layer at S) is the setting of the Wanda and SparseGPT papers, and sparsegpt refuses global.", OneOf = typeof(BudgetRegistry))]
        public string Budget { get; init; } = "uniform";

        [Option("Training examples run through the model to calibrate wanda and sparsegpt (the first N of the training split, without augmentation).", Value = "N",
            Requires = ["Criterion=wanda|sparsegpt"])]
        public int CalibrationExamples { get; init; } = 512;

        [Option("Language models: tokens (bytes) of the training split run through the model to calibrate wanda and sparsegpt, as windows of the block size " +
            "(default 16,384: 128 windows of 128, as the papers' 128 sequences).", Value = "N", Requires = ["Criterion=wanda|sparsegpt"])]
        public int? CalibrationTokens { get; init; }

        [Option("sparsegpt's dampening: λ = X · mean(diag H) is added to H's diagonal (the paper's 1 %).", Value = "X", Requires = ["Criterion=sparsegpt"])]
        public double Damp { get; init; } = 0.01;

        [Option("sparsegpt's lazy column block (the paper's 128); N:M needs a multiple of M.", Value = "N", Requires = ["Criterion=sparsegpt"])]
        public int ColumnBlock { get; init; } = 128;

        [Option("After pruning, train this many steps with the mask fixed (the run's own recipe, compressed to N steps) into OUT/finetune; 0: no finetuning.", Value = "N")]
        public long FinetuneSteps { get; init; }

        [Option("Finetuning's peak learning rate (default: the run's --lr).", Value = "X", Requires = ["FinetuneSteps>0"])]
        public double? FinetuneLr { get; init; }

        [Option("Dataset folder, if not the run's.", Value = "DIR")]
        public string? DataDir { get; init; }

        [Option("The run folder to write; must not exist.", Value = "DIR", IsPath = true)]
        public string? Out { get; init; }
    }

    public override string Path => "oneshot";
    public override string Description =>
        "Prune a finished run in one shot (magnitude, wanda, sparsegpt, N:M) into a run folder of its own, with metrics before and after (and after --finetune-steps).";
    public override IReadOnlyList<string> Examples =>
        ["oneshot --run runs/mlp --criterion sparsegpt --sparsity 0.7 --out runs/mlp-sparsegpt-0.7",
         "oneshot --run runs/mlp --criterion wanda:2:4 --out runs/mlp-wanda-2-4 --finetune-steps 200"];
    protected override Options Defaults => new();

    protected override int Execute(Bound<Options> bound)
    {
        var s = bound.Value;
        Check.Section(s.Source, nameof(Options.Source));
        Check.That(s.Out is not null, nameof(Options.Out), "is required: the run folder to write");
        Check.That(!Directory.Exists(s.Out) && !File.Exists(s.Out), nameof(Options.Out), $"'{s.Out}' already exists; choose a new folder (oneshot never overwrites)");
        var parsed = OneShotCriteria.Parse(s.Criterion)
            ?? throw ConfigError.Of(nameof(Options.Criterion), $"'{s.Criterion}' is not known; use one of: {OneShotCriteria.Names.Describe()}");
        double sparsity;
        if (parsed.Nm is var (n, m))
        {
            Check.That(s.Sparsity is null || Math.Abs(s.Sparsity.Value - (1.0 - (double)n / m)) < 1e-12, nameof(Options.Sparsity),
                $"is fixed at {1.0 - (double)n / m} by {s.Criterion}; drop it");
            sparsity = 1.0 - (double)n / m;
        }
        else
        {
            Check.That(s.Sparsity is not null, nameof(Options.Sparsity), $"is required with {s.Criterion}, e.g. --sparsity 0.5");
            Check.Fraction(s.Sparsity!.Value, nameof(Options.Sparsity));
            sparsity = s.Sparsity.Value;
        }
        Check.That(s.CalibrationExamples > 0, nameof(Options.CalibrationExamples), $"must be > 0, got {s.CalibrationExamples}");
        Check.That(s.Damp > 0, nameof(Options.Damp), $"must be > 0, got {s.Damp}");
        Check.That(s.ColumnBlock > 0, nameof(Options.ColumnBlock), $"must be > 0, got {s.ColumnBlock}");
        Check.That(s.FinetuneSteps >= 0, nameof(Options.FinetuneSteps), $"must be ≥ 0, got {s.FinetuneSteps}");
        Check.That(s.FinetuneLr is null || s.FinetuneLr > 0, nameof(Options.FinetuneLr), $"must be > 0, got {s.FinetuneLr}");
        var budget = BudgetRegistry.Create(s.Budget);
        var criterion = OneShotCriteria.Create(s.Criterion, s.Damp, s.ColumnBlock);
        Check.That(Directory.Exists(s.Source.Run), $"{ConfigError.Field("Source.Run")} '{s.Source.Run}': no such folder");
        Check.That(new RunFolder(s.Source.Run!).IsFinished, $"{ConfigError.Field("Source.Run")} '{s.Source.Run}' has not finished training (no summary.json); finish it (train --resume) first");

        using var saved = SavedRun.Open(s.Source.Run!, s.Source.Checkpoint);
        var config = saved.Config;
        int threads = TorchRuntime.SetThreads(config.Runtime.Threads, Console.Error.WriteLine);
        var data = config.Data with { DataDir = s.DataDir ?? config.Data.DataDir };
        using var splits = TrainingRun.Load(config with { Data = data });
        bool text = splits.Input.IsText;
        Check.That(text || s.CalibrationTokens is null, nameof(Options.CalibrationTokens), $"applies to language models; {config.Model.Name} calibrates on --calibration-examples");
        Check.That(s.CalibrationTokens is null or > 0, nameof(Options.CalibrationTokens), $"must be > 0, got {s.CalibrationTokens}");
        int batch = config.Optimization.BatchSize;
        var dense = Evaluate(saved.Model, splits, batch);
        int examples = text
            ? (int)Math.Ceiling((double)(s.CalibrationTokens ?? 16_384) / config.Model.BlockSize)          // windows
            : (int)Math.Min(s.CalibrationExamples, splits.TrainCount);
        IEnumerable<(Tensor, Tensor)> Calibration() => text
            ? Windows(splits, examples, batch, config.Seed)
            : splits.Task.ClassifiesImages ? FirstExamples(splits.Images!, examples, batch)
            : splits.ScoringBatches(batch, (examples + batch - 1) / batch, config.Seed, CPU);   // a denoiser's: noised training images

        var watch = Stopwatch.StartNew();
        using var current = saved.LoadMask();
        var prunable = saved.Prunable;
        using var result = criterion.Reconstruct(new PruningRequest(saved.Model, prunable, sparsity, budget, Calibration, saved.Input,
            config.Seed, current, saved.Spec));
        using (torch.no_grad())
            foreach (var (name, w) in prunable) w.copy_(result.Weights[name]);
        double seconds = watch.Elapsed.TotalSeconds;
        var pruned = Evaluate(saved.Model, splits, batch);
        var (measured, nonzero, _) = PrunableParameters.Measure(prunable);
        foreach (var l in result.Mask.CollapsedLayers) Console.Error.WriteLine($"warning: layer collapse: {l} kept no weights");

        var outFolder = new RunFolder(s.Out!);
        string source = $"{saved.Folder.Path}:{saved.CheckpointName}";
        try
        {
            Directory.CreateDirectory(outFolder.Path);
            Directory.CreateDirectory(outFolder.CheckpointDir);
            WriteConfig(outFolder, config, threads, new JsonObject
            {
                ["source"] = source, ["criterion"] = s.Criterion, ["budget"] = s.Budget,
                ["sparsity"] = sparsity, [text ? "calibration_tokens" : "calibration_examples"] = text ? examples * config.Model.BlockSize : examples,
                ["damp"] = s.Damp, ["column_block"] = s.ColumnBlock,
            });
            string hash = ConfigHash.HashOf(outFolder.ReadDocument()!["canonical"]!.GetValue<string>());
            result.Mask.Save(outFolder.MaskFile, new Dictionary<string, string> { ["model"] = config.Model.Name, ["config_hash"] = hash, ["criterion"] = s.Criterion });
            Checkpoint.Save(outFolder.FinalCheckpoint, saved.Model, null, new TrainingState(0, 0, 0), result.Mask);
            OneShotMetrics? finetuned = null;
            if (s.FinetuneSteps > 0)
            {
                var ft = config with
                {
                    Model = config.Model with { InitFrom = outFolder.Path },
                    Sparsity = config.Sparsity with { Target = 0, MaskFrom = outFolder.Path },
                    // The finetune's length is its steps alone: the pruned run's epochs do not apply to it.
                    Optimization = config.Optimization with { Steps = s.FinetuneSteps, Epochs = new OptimizationConfig().Epochs, Lr = s.FinetuneLr ?? config.Optimization.Lr },
                    MaskSchedule = new(), Curriculum = new(),
                };
                var outcome = ConsoleObserver.Run(observer => TrainingRun.Execute(ft, System.IO.Path.Combine(outFolder.Path, "finetune"), false, observer));
                var f = outcome.Summary;
                finetuned = new OneShotMetrics(f.TestAccuracy, f.TestLoss, f.ValAccuracy, f.ValLoss, f.ValPerplexity);
            }
            var summary = new OneShotSummary
            {
                Kind = "oneshot", Model = config.Model.Name, Dataset = config.Data.Dataset, Source = source,
                Criterion = s.Criterion, Budget = s.Budget, TargetSparsity = sparsity, Sparsity = measured, NonzeroParams = nonzero,
                CalibrationExamples = OneShotCriteria.NeedsData(s.Criterion) && !text ? examples : 0,
                CalibrationTokens = OneShotCriteria.NeedsData(s.Criterion) && text ? examples * config.Model.BlockSize : null,
                Dense = dense, Pruned = pruned, FinetuneSteps = s.FinetuneSteps, Finetuned = finetuned,
                Layers = [.. result.Mask.Layers.Select(l => new OneShotLayer(l.Name, l.Total, l.Nonzero, l.Sparsity))],
                PruneSeconds = seconds,
            };
            AtomicFile.WriteAllText(outFolder.SummaryFile, Json.Serialize(summary));
            if (text)
                Console.WriteLine($"{s.Criterion} at sparsity {measured:F4} ({nonzero:N0} weights kept) in {seconds:F1} s: validation perplexity {dense.ValPerplexity:F3} → {pruned.ValPerplexity:F3}"
                    + (finetuned is null ? "" : $" → {finetuned.ValPerplexity:F3} after {s.FinetuneSteps} finetuning steps"));
            else if (!splits.Task.HasAccuracy)
                Console.WriteLine($"{s.Criterion} at sparsity {measured:F4} ({nonzero:N0} weights kept) in {seconds:F1} s: test denoising loss {dense.TestLoss:F4} → {pruned.TestLoss:F4}"
                    + (finetuned is null ? "" : $" → {finetuned.TestLoss:F4} after {s.FinetuneSteps} finetuning steps"));
            else
                Console.WriteLine($"{s.Criterion} at sparsity {measured:F4} ({nonzero:N0} weights kept) in {seconds:F1} s: test accuracy {dense.TestAccuracy:F4} → {pruned.TestAccuracy:F4}"
                    + (finetuned is null ? "" : $" → {finetuned.TestAccuracy:F4} after {s.FinetuneSteps} finetuning steps"));
            Console.WriteLine($"run folder: {outFolder.Path}");
            return 0;
        }
        catch
        {
            if (Directory.Exists(outFolder.Path)) Directory.Delete(outFolder.Path, recursive: true);   // nothing half-written
            throw;
        }
    }

    /// <summary>The held-out metrics; a language model's held-out split is its validation split (perplexity = e^loss).</summary>
    private static OneShotMetrics Evaluate(nn.Module<Tensor, Tensor> model, TrainingData data, int batch)
    {
        var (test, val) = data.EvaluateHeldOut(model, batch, CPU);
        return new OneShotMetrics(test.Accuracy, test.Loss, val?.Accuracy, val?.Loss, data.Input.IsText ? LanguageMetrics.Perplexity(test.Loss) : null);
    }

    /// <summary>The first <paramref name="examples"/> training images, without augmentation.</summary>
    private static IEnumerable<(Tensor, Tensor)> FirstExamples(DataSplits splits, int examples, int batch)
    {
        var loader = new BatchLoader(splits.Train, splits.Info, batch, train: false, CPU);
        for (int i = 0, seen = 0; seen < examples; i++)
        {
            var (x, y) = loader.Batch(0, 0, i);
            int take = Math.Min(examples - seen, (int)x.shape[0]);
            seen += take;
            yield return take == x.shape[0] ? (x, y) : (x.narrow(0, 0, take), y.narrow(0, 0, take));
        }
    }

    /// <summary><paramref name="windows"/> seeded windows of the training text, in batches.</summary>
    private static IEnumerable<(Tensor, Tensor)> Windows(TrainingData data, int windows, int batch, long seed)
    {
        for (int i = 0, seen = 0; seen < windows; i++)
        {
            int take = Math.Min(batch, windows - seen);
            seen += take;
            yield return data.Batch(take, seed, 0, i, i, CPU);
        }
    }

    /// <summary>
    /// config.json: the source's config (so SavedRun, export, infer and --init-from rebuild the model), with an
    /// identity of its own: the canonical string is the source's plus the one-shot settings, so --init-from and
    /// --mask-from of this folder never hash like the source run.
    /// </summary>
    private static void WriteConfig(RunFolder folder, TrainConfig config, int threads, JsonObject oneshot)
    {
        string canonical = ConfigHash.Canonical(config) + " | oneshot " + oneshot.ToJsonString();
        var doc = new JsonObject
        {
            ["config"] = ConfigJson.Write(config),
            ["config_hash"] = ConfigHash.HashOf(canonical),
            ["canonical"] = canonical,
            ["oneshot"] = oneshot,
            ["environment"] = JsonNode.Parse(Json.Serialize(RunEnvironment.Capture(threads, "cpu"))),
        };
        AtomicFile.WriteAllText(folder.ConfigFile, doc.ToJsonString(Json.Options));
    }
}
