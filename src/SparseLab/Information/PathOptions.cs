// How a linear path is sampled and evaluated (METHODS §5): the α grid, what
// happens to BatchNorm running statistics, and the batch sizes used.
using SparseLab.Foundations;

namespace SparseLab.Information;

/// <param name="Points">Number of α values, evenly spaced from AlphaMin to AlphaMax inclusive (29 gives a 0.05 step).</param>
/// <param name="BatchNorm">"recompute": re-estimate running statistics at every α from training batches; "copy": use θ_B's.</param>
/// <param name="BnBatches">Training batches (of BatchSize) used to re-estimate BatchNorm statistics, at most one pass over the data.</param>
/// <param name="BatchSize">Batch size of the BatchNorm re-estimation and of evaluation.</param>
/// <param name="Seed">Seed of the training-batch order used for BatchNorm re-estimation (the same batches at every α).</param>
public sealed record PathOptions(
    [property: Option("Points on each linear path, evenly spaced over [--alpha-min, --alpha-max] (29: a 0.05 step over -0.2 to 1.2).")]
    int Points = 29,
    [property: Option("The first α.", Value = "X")]
    double AlphaMin = -0.2,
    [property: Option("The last α.", Value = "X")]
    double AlphaMax = 1.2,
    [property: Option("BatchNorm statistics at each α: recompute (from training batches) or copy (the end network's).", Flag = "--bn", OneOf = typeof(PathOptions))]
    string BatchNorm = "recompute",
    [property: Option("Training batches for recomputing BatchNorm statistics.")]
    int BnBatches = 200,
    [property: Option("Batch size for BatchNorm recomputation and evaluation.")]
    int BatchSize = 256,
    long Seed = 1) : IConfigRecord
{
    /// <summary>The BatchNorm modes.</summary>
    public static NameSet Names { get; } = new("recompute", "copy");

    /// <summary>The most points a path may have: each is a full evaluation pass.</summary>
    public const int MaxPoints = 1_001;

    public void Validate()
    {
        Check.That(Points is >= 2 and <= MaxPoints, nameof(Points), $"must be 2 to {MaxPoints} (29 gives a 0.05 step over [-0.2, 1.2]), got {Points}");
        Check.That(AlphaMin < AlphaMax,
            $"{ConfigError.Field(nameof(AlphaMin))} {Check.Fmt(AlphaMin)} and {ConfigError.Field(nameof(AlphaMax))} {Check.Fmt(AlphaMax)}: need alpha-min < alpha-max, e.g. -0.2 and 1.2");
        Check.That(Names.Contains(BatchNorm), nameof(BatchNorm), $"'{BatchNorm}' is not known; use one of: {Names.Describe()}");
        Check.Positive(BnBatches, nameof(BnBatches));
        Check.Positive(BatchSize, nameof(BatchSize));
    }

    /// <summary>
    /// linspace(AlphaMin, AlphaMax, Points), each value rounded to 12 decimals so that grid points
    /// such as 0 and 1 are exactly 0 and 1 (−0.2 + 4·0.05 is 1e-17 in floating point).
    /// </summary>
    public IReadOnlyList<double> Alphas()
    {
        Validate();
        var alphas = new double[Points];
        double step = (AlphaMax - AlphaMin) / (Points - 1);
        for (int i = 0; i < Points; i++)
            alphas[i] = i == Points - 1 ? AlphaMax : Math.Round(AlphaMin + i * step, 12) + 0.0;   // + 0.0 turns −0 into 0
        alphas[0] = AlphaMin;
        return alphas;
    }
}
