// TEMPORARY compile stubs; replaced by Data/ and Models/.
using TorchSharp;
using static TorchSharp.torch;
namespace SparseLab.Data
{
    public sealed class Dataset : IDisposable {
        public Dataset(string name, Tensor images, Tensor labels, int numClasses) { Name = name; Images = images; Labels = labels; NumClasses = numClasses; }
        public string Name { get; } public Tensor Images { get; } public Tensor Labels { get; }
        public int NumClasses { get; } public long Count => Labels.shape[0];
        public int Channels => (int)Images.shape[1]; public int Height => (int)Images.shape[2]; public int Width => (int)Images.shape[3];
        public Dataset Slice(long start, long count) => throw new NotImplementedException();
        public void Dispose() {}
    }
    public sealed record DatasetInfo(string Name, int Channels, int Height, int Width, int NumClasses, float[] Mean, float[] Std, bool Augment);
    public sealed record DataOptions(string Name, string? DataDir = null, long? LimitTrain = null, long? LimitTest = null, long Validation = 0);
    public sealed record DataSplits(DatasetInfo Info, Dataset Train, Dataset Test, Dataset? Validation) : IDisposable { public void Dispose() {} }
    public static class DatasetCatalog {
        public static IReadOnlyList<string> Names { get; } = new[] { "fashion-mnist" };
        public static DataSplits Load(DataOptions options) => throw new NotImplementedException();
        public static string ResolveDataDir(string name, string? dataDir) => throw new NotImplementedException();
    }
    public sealed class BatchLoader {
        public BatchLoader(Dataset data, DatasetInfo info, int batchSize, bool train, Device device) { }
        public int BatchesPerEpoch { get; }
        public (Tensor Input, Tensor Labels) Batch(long seed, int epoch, int index) => throw new NotImplementedException();
    }
}
