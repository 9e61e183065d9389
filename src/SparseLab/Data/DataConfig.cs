// Which data a run trains and tests on, and how much of it.
using SparseLab.Foundations;

namespace SparseLab.Data;

public sealed record DataConfig : IConfigRecord
{
    [Option("The dataset to train and test on.", OneOf = typeof(DatasetCatalog))]
    public string Dataset { get; init; } = "fashion-mnist";

    [Option("The UTF-8 text file of --dataset text (a character-level corpus: the last 10 % is the validation split).", Value = "FILE", IsPath = true,
        Reference = ReferenceKind.Path)]
    public string? Text { get; init; }

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

    [Option("Seed of which labels --label-noise replaces (default: --seed). Warm-ups and reference runs of a run share its corruption.", Requires = ["LabelNoise>0"])]
    public long? NoiseSeed { get; init; }

    public void Validate()
    {
        Check.That(LimitTrain is null or > 0, nameof(LimitTrain), $"must be a positive number of examples, got {LimitTrain}");
        Check.That(LimitTest is null or > 0, nameof(LimitTest), $"must be a positive number of examples, got {LimitTest}");
        Check.NotNegative(Val, nameof(Val));
        Check.Fraction(LabelNoise, nameof(LabelNoise));
        if (Dataset == "text")
            Check.That(Text is not null, nameof(Text), "is needed by --dataset text: give the UTF-8 file to train on (--text FILE)");
        else
            Check.That(Text is null, nameof(Text), $"only applies to --dataset text, not {Dataset}");
        if (DatasetCatalog.IsText(Dataset))
            foreach (var (set, field) in new[] { (LimitTrain is not null, nameof(LimitTrain)), (LimitTest is not null, nameof(LimitTest)), (Val != 0, nameof(Val)), (LabelNoise != 0, nameof(LabelNoise)), (NoiseSeed is not null, nameof(NoiseSeed)) })
                Check.That(!set, field, $"does not apply to the text dataset {Dataset} (its validation split is its last 10 %)");
    }
}
