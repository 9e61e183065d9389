// summary.json of a `oneshot` run folder: what was pruned and how, and the
// metrics of the source (dense) model, of the pruned model before any
// training, and after the optional finetuning. Fractions, not percents.
namespace SparseLab.Sparsity;

/// <param name="TestAccuracy">Top-1 accuracy on the test split (a language model: next-byte accuracy on its validation split).</param>
/// <param name="ValPerplexity">Language models: e^val_loss on the validation split.</param>
public sealed record OneShotMetrics(double TestAccuracy, double TestLoss, double? ValAccuracy, double? ValLoss, double? ValPerplexity = null);

public sealed record OneShotLayer(string Name, long Total, long Nonzero, double Sparsity);

public sealed record OneShotSummary
{
    public required string Kind { get; init; }
    public required string Model { get; init; }
    public required string Dataset { get; init; }
    public required string Source { get; init; }
    public required string Criterion { get; init; }
    public required string Budget { get; init; }
    public required double TargetSparsity { get; init; }
    /// <summary>Measured fraction of exact zeros over the prunable weights after pruning.</summary>
    public required double Sparsity { get; init; }
    public required long NonzeroParams { get; init; }
    public required int CalibrationExamples { get; init; }
    /// <summary>Language models: calibration tokens (windows × block size) for wanda and sparsegpt.</summary>
    public int? CalibrationTokens { get; init; }
    public required OneShotMetrics Dense { get; init; }
    public required OneShotMetrics Pruned { get; init; }
    public long FinetuneSteps { get; init; }
    public OneShotMetrics? Finetuned { get; init; }
    public required IReadOnlyList<OneShotLayer> Layers { get; init; }
    public required double PruneSeconds { get; init; }
}
