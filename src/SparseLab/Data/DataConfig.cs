// Which data a run trains and tests on, and how much of it.
using SparseLab.Foundations;

namespace SparseLab.Data;

public sealed record DataConfig : IConfigRecord
{
    [Option("The dataset to train and test on.", OneOf = typeof(DatasetCatalog))]
    public string Dataset { get; init; } = "fashion-mnist";

    [Option("Folder with the dataset's files (default: $SPARSELAB_DATA/<name>, then /usr/share/datasets/<name>).", Value = "DIR")]
    [NotHashed]
    public string? DataDir { get; init; }

    [Option("Use only the first N training examples.")]
    public long? LimitTrain { get; init; }

    [Option("Use only the first N test examples.")]
    public long? LimitTest { get; init; }

    [Option("Hold out the last N training examples for validation.")]
    public long Val { get; init; }

    [Option("Replace a seeded fraction P of the training labels with wrong ones; train accuracy is then also reported on the clean and the relabelled examples.", Value = "P")]
    public double LabelNoise { get; init; }

    [Option("Seed of which labels --label-noise replaces (default: --seed). Warm-ups and reference runs of a run share its corruption.")]
    public long? NoiseSeed { get; init; }

    public void Validate()
    {
        Check.That(LimitTrain is null or > 0, nameof(LimitTrain), $"must be a positive number of examples, got {LimitTrain}");
        Check.That(LimitTest is null or > 0, nameof(LimitTest), $"must be a positive number of examples, got {LimitTest}");
        Check.NotNegative(Val, nameof(Val));
        Check.Fraction(LabelNoise, nameof(LabelNoise));
    }
}
