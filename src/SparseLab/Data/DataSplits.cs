// A loaded dataset: its facts plus the train, test and optional validation splits.
namespace SparseLab.Data;

public sealed record DataSplits(DatasetInfo Info, Dataset Train, Dataset Test, Dataset? Validation) : IDisposable
{
    public void Dispose()
    {
        Train.Dispose();
        Test.Dispose();
        Validation?.Dispose();
    }
}
