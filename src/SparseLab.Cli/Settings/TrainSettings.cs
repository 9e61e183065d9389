// Options of `train` (and of commands that train): a thin layer that maps onto
// TrainConfig; unset options keep TrainConfig's defaults.
using System.ComponentModel;
using System.Globalization;
using SparseLab.Foundations;
using Spectre.Console.Cli;

namespace SparseLab.Cli.Settings;

public class TrainSettings : CommandSettings
{
    [CommandOption("--config <FILE>")] [Description("YAML file of options (keys are option names); command-line options win.")]
    public string? Config { get; init; }

    [CommandOption("--dataset <NAME>")] [Description("fashion-mnist (default), mnist, cifar10, cifar100 or synthetic.")]
    public string? Dataset { get; init; }
    [CommandOption("--data-dir <DIR>")] [Description("Folder with the dataset's files (default: $SPARSELAB_DATA/<name>, then /usr/share/datasets/<name>).")]
    public string? DataDir { get; init; }
    [CommandOption("--model <NAME>")] [Description("mlp, lenet5 (default), resnet20, resnet32, resnet56, vgg11, vgg16.")]
    public string? Model { get; init; }
    [CommandOption("--width <X>")] [Description("Channel multiplier for ResNets and VGGs (default 1).")]
    public double? Width { get; init; }

    [CommandOption("--epochs <N>")] [Description("Training epochs (default 10).")]
    public int? Epochs { get; init; }
    [CommandOption("--steps <N>")] [Description("Train for N optimizer steps instead of --epochs.")]
    public long? Steps { get; init; }
    [CommandOption("--batch-size <N>")] [Description("Mini-batch size (default 128).")]
    public int? BatchSize { get; init; }

    [CommandOption("--optimizer <NAME>")] [Description("sgd (default) or adam.")]
    public string? Optimizer { get; init; }
    [CommandOption("--lr <X>")] [Description("Peak learning rate (default 0.05).")]
    public double? Lr { get; init; }
    [CommandOption("--momentum <X>")] [Description("SGD momentum (default 0.9).")]
    public double? Momentum { get; init; }
    [CommandOption("--nesterov")] [Description("Nesterov momentum.")]
    public bool Nesterov { get; init; }
    [CommandOption("--weight-decay <X>")] [Description("L2 weight decay (default 5e-4).")]
    public double? WeightDecay { get; init; }
    [CommandOption("--beta1 <X>")] [Description("Adam beta1 (default 0.9).")]
    public double? Beta1 { get; init; }
    [CommandOption("--beta2 <X>")] [Description("Adam beta2 (default 0.999).")]
    public double? Beta2 { get; init; }

    [CommandOption("--lr-schedule <NAME>")] [Description("constant, step or cosine (default).")]
    public string? LrSchedule { get; init; }
    [CommandOption("--milestones <EPOCHS>")] [Description("Step schedule: comma-separated epochs at which the rate is multiplied by --gamma.")]
    public string? Milestones { get; init; }
    [CommandOption("--gamma <X>")] [Description("Step schedule factor (default 0.1).")]
    public double? Gamma { get; init; }
    [CommandOption("--warmup-epochs <X>")] [Description("Linear warm-up length in epochs (default 0).")]
    public double? WarmupEpochs { get; init; }

    [CommandOption("--sparsity <S>")] [Description("Train sparse: fraction of prunable weights removed, in [0, 1) (default 0: dense).")]
    public double? Sparsity { get; init; }
    [CommandOption("--criterion <NAME>")] [Description("Pruning criterion: magnitude (default), random, snip, grasp, synflow, fisher, nm:N:M (e.g. nm:2:4).")]
    public string? Criterion { get; init; }
    [CommandOption("--budget <NAME>")] [Description("How sparsity is spread over layers: global (default), uniform, erk.")]
    public string? Budget { get; init; }
    [CommandOption("--layer-sparsity <LIST>")] [Description("Per-layer overrides, e.g. conv1.weight=0.5,fc3.weight=0; the other layers make up the total.")]
    public string? LayerSparsity { get; init; }
    [CommandOption("--prune-at <WHEN>")] [Description("When to prune: init (before training, the default).")]
    public string? PruneAt { get; init; }
    [CommandOption("--score-batches <N>")] [Description("Training batches that data-dependent criteria (snip, grasp, fisher) score on (default 1).")]
    public int? ScoreBatches { get; init; }
    [CommandOption("--keep-first-dense")] [Description("Never prune the first layer.")]
    public bool KeepFirstDense { get; init; }
    [CommandOption("--keep-last-dense")] [Description("Never prune the last layer (the classifier).")]
    public bool KeepLastDense { get; init; }
    [CommandOption("--forbid-collapse")] [Description("Fail instead of warning when a layer would keep no weights.")]
    public bool ForbidCollapse { get; init; }
    [CommandOption("--mask-from <RUN_OR_FILE>")] [Description("Train with this mask: a run folder (its mask.safetensors) or a .safetensors file from `prune` or `export`.")]
    public string? MaskFrom { get; init; }
    [CommandOption("--init-from <CHECKPOINT>")] [Description("Start from these weights: a run folder (final checkpoint), RUN:NAME (e.g. RUN:init) or a .ckpt file. With a mask: sparse finetuning.")]
    public string? InitFrom { get; init; }

    [CommandOption("--schedule <NAME>")] [Description("How the mask changes during training: none (fixed, default), gmp (gradual magnitude pruning to --sparsity), set or rigl (drop and grow; ERK budget and a random start mask by default).")]
    public string? Schedule { get; init; }
    [CommandOption("--update-every <STEPS>")] [Description("Mask update interval ΔT in optimizer steps (default 100).")]
    public int? UpdateEvery { get; init; }
    [CommandOption("--update-start <STEP>")] [Description("First step of the update window, GMP's t0 (default 0).")]
    public long? UpdateStart { get; init; }
    [CommandOption("--update-end <STEP>")] [Description("T_end: last step at which the mask may change (default 75 % of training).")]
    public long? UpdateEnd { get; init; }
    [CommandOption("--drop-fraction <A>")] [Description("SET/RigL: fraction α of active weights dropped and regrown at the first update, cosine-decayed to 0 at T_end (default 0.3).")]
    public double? DropFraction { get; init; }
    [CommandOption("--initial-sparsity <S>")] [Description("GMP: sparsity at the start of the window (default 0: dense).")]
    public double? InitialSparsity { get; init; }

    [CommandOption("--seed <N>")] [Description("Seed of the initialization, data order and augmentation (default 1).")]
    public long? Seed { get; init; }
    [CommandOption("--limit-train <N>")] [Description("Use only the first N training examples.")]
    public long? LimitTrain { get; init; }
    [CommandOption("--limit-test <N>")] [Description("Use only the first N test examples.")]
    public long? LimitTest { get; init; }
    [CommandOption("--label-noise <P>")] [Description("Replace a seeded fraction P of training labels with wrong ones; train accuracy is also reported on the clean and the noisy examples.")]
    public double? LabelNoise { get; init; }
    [CommandOption("--val <N>")] [Description("Hold out the last N training examples for validation.")]
    public long? Val { get; init; }
    [CommandOption("--curriculum <SCORE>")] [Description("Train with a data curriculum ordered by this per-example score: fisher-true, fisher-empirical, last-layer, el2n, loss, random, or file:PATH[#COLUMN] (a CSV such as `fisher --scores` writes).")]
    public string? Curriculum { get; init; }
    [CommandOption("--curriculum-reference <MODEL>")] [Description("The model that scores: init (this run's initialization, the default), warmup:K (a dense warm-up of K epochs; el2n's default is warmup:1), self:K (the current model, every K epochs) or run:DIR[:CHECKPOINT].")]
    public string? CurriculumReference { get; init; }
    [CommandOption("--order <NAME>")] [Description("curriculum (lowest score first, the default), anti (highest first) or random.")]
    public string? Order { get; init; }
    [CommandOption("--balance-classes")] [Description("Keep every prefix of the order class-balanced.")]
    public bool BalanceClasses { get; init; }
    [CommandOption("--pacing <NAME>")] [Description("How the pool of easiest examples grows: linear (default with --curriculum), quad, root, step, exp, log, fixed-exp, or none (plain training).")]
    public string? Pacing { get; init; }
    [CommandOption("--pacing-a <X>")] [Description("Fraction of training at which the pool reaches the whole set (default 0.5).")]
    public double? PacingA { get; init; }
    [CommandOption("--pacing-b <X>")] [Description("Starting pool as a fraction of the set, in (0, 1] (default 0.2).")]
    public double? PacingB { get; init; }
    [CommandOption("--pacing-sp <X>")] [Description("fixed-exp: starting fraction (default 0.04).")]
    public double? PacingSp { get; init; }
    [CommandOption("--pacing-inc <X>")] [Description("fixed-exp: growth factor above 1 (default 1.9).")]
    public double? PacingInc { get; init; }
    [CommandOption("--pacing-step <N>")] [Description("fixed-exp: steps between growths (default 100).")]
    public long? PacingStep { get; init; }
    [CommandOption("--score-runs <N>")] [Description("Warm-up runs EL2N scores are averaged over (default 3).")]
    public int? ScoreRuns { get; init; }
    [CommandOption("--score-cache <DIR>")] [Description("Cache of warm-up runs and shared scores (default runs/score-cache).")]
    public string? ScoreCache { get; init; }
    [CommandOption("--fisher-every <K>")] [Description("Log true and empirical Fisher traces (total and per layer) to metrics.jsonl every K steps or every 'epoch'.")]
    public string? FisherEvery { get; init; }
    [CommandOption("--fisher-samples <N>")] [Description("Fixed, seeded probe set size for the Fisher traces (default 1024).")]
    public int? FisherSamples { get; init; }
    [CommandOption("--fisher-draws <M>")] [Description("Labels sampled from the model per example for the true Fisher (default 1).")]
    public int? FisherDraws { get; init; }
    [CommandOption("--fisher-method <NAME>")] [Description("fast (one backward per batch, default) or naive (one backward per example).")]
    public string? FisherMethod { get; init; }
    [CommandOption("--threads <N>")] [Description("CPU threads (default: all cores).")]
    public int? Threads { get; init; }
    [CommandOption("--device <NAME>")] [Description("cpu (default), cuda or auto.")]
    public string? Device { get; init; }

    public TrainConfig ToConfig()
    {
        var d = new TrainConfig();
        return new TrainConfig
        {
            Dataset = Dataset ?? d.Dataset, DataDir = DataDir, Model = Model ?? d.Model, Width = Width ?? d.Width,
            Epochs = Epochs ?? d.Epochs, Steps = Steps, BatchSize = BatchSize ?? d.BatchSize,
            Optimizer = Optimizer ?? d.Optimizer, Lr = Lr ?? d.Lr, Momentum = Momentum ?? d.Momentum, Nesterov = Nesterov,
            WeightDecay = WeightDecay ?? d.WeightDecay, Beta1 = Beta1 ?? d.Beta1, Beta2 = Beta2 ?? d.Beta2,
            LrSchedule = LrSchedule ?? d.LrSchedule, Milestones = ParseMilestones(Milestones), Gamma = Gamma ?? d.Gamma,
            WarmupEpochs = WarmupEpochs ?? d.WarmupEpochs, Seed = Seed ?? d.Seed,
            Sparsity = Sparsity ?? d.Sparsity,
            // SET and RigL start from a random mask spread by ERK (Evci et al. 2020) unless told otherwise.
            Criterion = Criterion ?? (DropAndGrow ? "random" : d.Criterion), Budget = Budget ?? (DropAndGrow ? "erk" : d.Budget),
            Schedule = Schedule ?? d.Schedule, UpdateEvery = UpdateEvery ?? d.UpdateEvery, UpdateStart = UpdateStart ?? d.UpdateStart,
            UpdateEnd = UpdateEnd, DropFraction = DropFraction ?? d.DropFraction, InitialSparsity = InitialSparsity ?? d.InitialSparsity,
            LayerSparsity = LayerSparsity, PruneAt = PruneAt ?? d.PruneAt, ScoreBatches = ScoreBatches ?? d.ScoreBatches,
            KeepFirstDense = KeepFirstDense, KeepLastDense = KeepLastDense, ForbidCollapse = ForbidCollapse,
            MaskFrom = MaskFrom is null ? null : Path.GetFullPath(MaskFrom), InitFrom = InitFrom is null ? null : FullRef(InitFrom),
            LimitTrain = LimitTrain, LimitTest = LimitTest, Val = Val ?? d.Val, LabelNoise = LabelNoise ?? d.LabelNoise,
            Threads = Threads ?? d.Threads, Device = Device ?? d.Device,
            FisherEvery = FisherEvery, FisherSamples = FisherSamples ?? d.FisherSamples, FisherDraws = FisherDraws ?? d.FisherDraws,
            FisherMethod = FisherMethod ?? d.FisherMethod,
            Curriculum = Curriculum is not null && Curriculum.StartsWith("file:", StringComparison.Ordinal) ? "file:" + Path.GetFullPath(Curriculum[5..]) : Curriculum,
            CurriculumReference = CurriculumReference is not null && CurriculumReference.StartsWith("run:", StringComparison.Ordinal) ? "run:" + FullRef(CurriculumReference[4..]) : CurriculumReference,
            Order = Order ?? d.Order, BalanceClasses = BalanceClasses, Pacing = Pacing,
            PacingA = PacingA ?? d.PacingA, PacingB = PacingB ?? d.PacingB, PacingSp = PacingSp ?? d.PacingSp, PacingInc = PacingInc ?? d.PacingInc,
            PacingStep = PacingStep ?? d.PacingStep, ScoreRuns = ScoreRuns ?? d.ScoreRuns, ScoreCache = ScoreCache is null ? null : Path.GetFullPath(ScoreCache),
        };
    }

    private bool DropAndGrow => Schedule is "set" or "rigl";

    /// <summary>Absolute path for RUN, RUN:NAME or FILE, so the saved config means the same from any folder.</summary>
    private static string FullRef(string text)
    {
        int colon = text.LastIndexOf(':');
        return colon > 0 && !File.Exists(text) && !Directory.Exists(text)
            ? Path.GetFullPath(text[..colon]) + text[colon..]
            : Path.GetFullPath(text);
    }

    private static int[] ParseMilestones(string? text)
    {
        if (string.IsNullOrWhiteSpace(text)) return [];
        try
        {
            return [.. text.Split(',', StringSplitOptions.TrimEntries).Select(t => int.Parse(t, CultureInfo.InvariantCulture))];
        }
        catch (FormatException)
        {
            throw new InvalidOptionException($"--milestones '{text}': expected comma-separated whole epochs, e.g. 80,120");
        }
    }
}

public sealed class TrainRunSettings : TrainSettings
{
    [CommandOption("--out <DIR>")] [Description("Run folder (default: runs/<model>-<dataset>-<config hash>).")]
    public string? Out { get; init; }
    [CommandOption("--resume")] [Description("Continue an interrupted run in --out from its last checkpoint.")]
    public bool Resume { get; init; }
}
