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
    int Points = 29, double AlphaMin = -0.2, double AlphaMax = 1.2, string BatchNorm = "recompute",
    int BnBatches = 200, int BatchSize = 256, long Seed = 1)
{
    public static IReadOnlyList<string> BatchNormModes { get; } = ["recompute", "copy"];

    /// <summary>Throws InvalidOptionException naming the CLI option of the first bad field.</summary>
    public void Validate()
    {
        if (Points < 2)
            throw new InvalidOptionException($"--points {Points}: a path needs at least 2 points (29 gives a 0.05 step over [-0.2, 1.2])");
        if (!double.IsFinite(AlphaMin) || !double.IsFinite(AlphaMax) || AlphaMin >= AlphaMax)
            throw new InvalidOptionException($"--alpha-min {Fmt(AlphaMin)} --alpha-max {Fmt(AlphaMax)}: need finite values with alpha-min < alpha-max, e.g. -0.2 and 1.2");
        if (!BatchNormModes.Contains(BatchNorm))
            throw new InvalidOptionException($"--bn '{BatchNorm}' is not known; use one of: {string.Join(", ", BatchNormModes)}");
        if (BnBatches < 1)
            throw new InvalidOptionException($"--bn-batches {BnBatches}: must be at least 1");
        if (BatchSize < 1)
            throw new InvalidOptionException($"--batch-size {BatchSize}: must be at least 1");
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

    private static string Fmt(double x) => x.ToString("R", System.Globalization.CultureInfo.InvariantCulture);
}
