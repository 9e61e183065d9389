// Which dataset to load and how much of it: the library side of --dataset, --data-dir, --limit-*, --val.
namespace SparseLab.Data;

/// <summary>
/// <paramref name="Validation"/> holds out the last examples of the training file;
/// <paramref name="LimitTrain"/> then keeps the first N of the rest; <paramref name="LimitTest"/> the first N test examples.
/// </summary>
public sealed record DataOptions(
    string Name, string? DataDir = null, long? LimitTrain = null, long? LimitTest = null, long Validation = 0)
{
    /// <summary>The data a run's config names (dataset, folder, limits, validation split).</summary>
    public static DataOptions For(DataConfig c) => new(c.Dataset, c.DataDir, c.LimitTrain, c.LimitTest, c.Val);
}
