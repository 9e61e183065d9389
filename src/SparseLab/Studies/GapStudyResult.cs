// What a gap study measured, as written to study.json (snake_case keys):
// one row per finished run, the linear paths between solutions, and per
// sparsity the regime with the train and test gaps and their intervals.
namespace SparseLab.Studies;

/// <summary>
/// One run's final metrics. Sparsity 0 and method "dense" for the dense runs. TrainCost: training FLOPs to reach
/// this solution, the runs it needs first included (every method that uses Sol-D's mask counts the dense run, imp
/// every level), in units of one dense run; MarginalCost: this run's own training (and a curriculum's scoring) only.
/// With --label-noise: train accuracy on the clean and on the flipped examples (against the labels trained on), and on
/// the flipped ones the fractions predicted as the noisy label (memorized) and as the true label (generalized; null for
/// runs finished before it was recorded). The test set is never relabelled: TestAccuracy is the clean test accuracy.
/// </summary>
public sealed record StudyRow(
    double Sparsity, string Method, long Seed,
    double TestAccuracy, double TrainAccuracy, double TestLoss, double TrainLoss,
    double MeasuredSparsity, string Run, double WallSeconds,
    double? TrainAccuracyClean = null, double? TrainAccuracyNoisy = null, double? TrainCost = null, double? MarginalCost = null,
    double? MemorizedFraction = null, double? GeneralizedFraction = null)
{
    /// <summary>With --val: the test accuracy at the run's best-by-validation epoch (ModelSelection).</summary>
    public double? BestValTestAccuracy { get; init; }

    /// <summary>Diffusion: the Fréchet LeNet distance of the run's samples (TrainingSummary.FrechetLenet).</summary>
    public double? FrechetLenet { get; init; }
}

/// <summary>Loss and accuracy along θ(α) = (1 − α)·θ_from + α·θ_to (METHODS §5).</summary>
public sealed record StudyPath(
    string From, string To, double Sparsity, long Seed,
    double[] Alpha, double[] TrainLoss, double[] TestLoss, double[] TrainAccuracy, double[] TestAccuracy);

/// <summary>Mean, sample standard deviation and a 95 % Student-t interval over seeds, and the median beside them (null in study.json files written before it).</summary>
public sealed record Estimate(double Mean, double Sd, double CiLow, double CiHigh, int N, double? Median = null);

/// <summary>A ratio with its 95 % interval (of means: Fieller's; of paired values: the geometric mean, Statistics.GeometricRatio); null bounds: unbounded (or one seed).</summary>
public sealed record RatioEstimate(double Ratio, double? CiLow, double? CiHigh, int N);

/// <summary>
/// A curriculum arm at one sparsity: gap closed = (acc(arm) − acc(scratch)) / (acc(finetune) − acc(scratch)) on test
/// accuracy (a language model: on validation loss, gains = scratch's loss − the arm's, in nats), paired by seed; the arm's test and train gains over plain scratch; its training cost (reference runs and
/// scoring counted) relative to sparse finetuning's, both including the dense run whose mask they use, and marginal
/// (each run's own training only).
/// </summary>
public sealed record GapClosed(double Sparsity, string Arm, RatioEstimate TestGapClosed, Estimate TestGain, Estimate TrainGain, double CostRelativeToFinetune,
    double MarginalCostRelativeToFinetune);

/// <summary>
/// Per sparsity, from the 95 % interval of the train-accuracy gap (finetune − scratch; a language model: the train-loss gap
/// scratch − finetune in nats): "generalization" when the whole
/// interval is below the threshold (both fit the training set alike), "optimization" when it is at or above it
/// (scratch fits worse), "undetermined" when it straddles the threshold or there is a single seed.
/// </summary>
public sealed record StudyRegime(double Sparsity, string Regime, double Threshold, Estimate TrainGap, Estimate TestGap)
{
    /// <summary>With --val: the test gap with every run taken at its best-by-validation epoch instead of its last.</summary>
    public Estimate? TestGapBestVal { get; init; }
}

/// <summary>A metric of one method at one sparsity, over seeds.</summary>
public sealed record StudyCell(double Sparsity, string Method, Estimate TestAccuracy, Estimate TrainAccuracy, Estimate TestLoss, Estimate TrainLoss,
    Estimate? TrainCost = null);

/// <summary>Fisher traces logged through one run (metrics.jsonl "fisher" events); epoch 0 is the initialization.</summary>
public sealed record FisherSeries(string Method, double Sparsity, long Seed, int[] Epoch, long[] Step, double[] True, double[] Empirical);

/// <summary>
/// The probe of one solution (Sol-D at sparsity 0, or a Baseline method's final checkpoint; Ye et al. 2022, Table 2): top Hessian
/// eigenvalue, Hessian trace, input-Jacobian norm, Monte-Carlo true Fisher trace and mean prediction entropy (nats), on the
/// first <paramref name="Samples"/> training examples, the Fisher with <paramref name="FisherDraws"/> labels drawn per example.
/// The last four are null in files written before they were measured (curvature only, of Sol-F and Sol-S).
/// </summary>
public sealed record CurvatureRow(double Sparsity, string Method, long Seed, double TopEigenvalue, double HessianTrace, double JacobianNorm,
    double? FisherTrace = null, double? PredictionEntropy = null, int? Samples = null, int? FisherDraws = null);

/// <summary>
/// A solution measure of one method relative to finetune's at one sparsity (Sol-D's, at sparsity 0, against every sparsity's Sol-F):
/// the geometric mean of the per-seed ratios method / finetune with its 95 % interval (a t interval on the log ratio,
/// exponentiated; Statistics.GeometricRatio). Excluded: seeds left out because a value was not positive (a Hessian trace
/// or top eigenvalue can be negative away from a minimum), so no log ratio exists.
/// </summary>
public sealed record SolutionRatio(double Sparsity, string Metric, string Method, string Reference, RatioEstimate Ratio, int Excluded);

/// <summary>A language model's sample at one sparsity: what the dense, finetuned and scratch solutions of one seed write after the same prompt.</summary>
public sealed record TextSample(double Sparsity, string Method, long Seed, string Prompt, string Text);

/// <param name="Metric">What the regimes and the verdict compare: "accuracy" (classifiers; finetune − scratch) or "loss" (language models:
/// validation and train loss in nats per byte, scratch − finetune).</param>
public sealed record GapStudyResult(
    IReadOnlyDictionary<string, object?> Config,
    IReadOnlyDictionary<string, object?> Environment,
    IReadOnlyList<StudyRow> Rows,
    IReadOnlyList<StudyPath> Paths,
    IReadOnlyList<StudyCell> Cells,
    IReadOnlyList<StudyRegime> Regimes,
    IReadOnlyList<FisherSeries>? Fisher = null,
    IReadOnlyList<CurvatureRow>? Curvature = null,
    IReadOnlyList<GapClosed>? GapClosed = null,
    IReadOnlyList<FisherGap>? FisherGaps = null,
    string Metric = GapStudyResult.AccuracyMetric,
    IReadOnlyList<TextSample>? Samples = null,
    IReadOnlyList<SolutionRatio>? SolutionRatios = null,
    IReadOnlyList<ArmMetric>? Memorization = null,
    IReadOnlyList<StallCount>? Stalls = null,
    IReadOnlyList<StallTest>? StallTests = null)
{
    public const string AccuracyMetric = "accuracy", LossMetric = "loss", DenoisingMetric = "denoising-loss";

    /// <summary>A denoiser's study (--task diffusion): held-out denoising loss, and the Fréchet LeNet distance of samples.</summary>
    public bool IsDiffusion => Metric == DenoisingMetric;

    public bool IsLanguageModel => Metric == LossMetric;

    /// <summary>Whether methods rank by held-out loss (a language model's, a denoiser's) rather than by accuracy.</summary>
    public bool RanksByLoss => Metric != AccuracyMetric;
}
