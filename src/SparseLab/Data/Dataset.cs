// In-memory labelled images: uint8 pixels (N, C, H, W) and int64 labels (N), both on the CPU.
using TorchSharp;
using static TorchSharp.torch;

namespace SparseLab.Data;

/// <summary>
/// Labelled images held in memory. The dataset owns its tensors: they are detached from any
/// dispose scope and freed by <see cref="Dispose"/>.
/// </summary>
public sealed class Dataset : IDisposable
{
    public Dataset(string name, Tensor images, Tensor labels, int numClasses)
    {
        ArgumentNullException.ThrowIfNull(images);
        ArgumentNullException.ThrowIfNull(labels);
        if (images.dtype != ScalarType.Byte || images.dim() != 4)
            throw new ArgumentException($"dataset '{name}': images must be uint8 (N, C, H, W), got {images.dtype} with shape [{string.Join(", ", images.shape)}]", nameof(images));
        if (labels.dtype != ScalarType.Int64 || labels.dim() != 1)
            throw new ArgumentException($"dataset '{name}': labels must be int64 (N), got {labels.dtype} with shape [{string.Join(", ", labels.shape)}]", nameof(labels));
        if (images.shape[0] != labels.shape[0])
            throw new ArgumentException($"dataset '{name}': {images.shape[0]} images but {labels.shape[0]} labels", nameof(labels));
        if (images.device_type != DeviceType.CPU || labels.device_type != DeviceType.CPU)
            throw new ArgumentException($"dataset '{name}': images and labels must be on the CPU");
        ArgumentOutOfRangeException.ThrowIfLessThan(numClasses, 1);

        Name = name;
        Images = images.DetachFromDisposeScope();
        Labels = labels.DetachFromDisposeScope();
        NumClasses = numClasses;
    }

    public string Name { get; }
    public Tensor Images { get; }   // (N, C, H, W) uint8
    public Tensor Labels { get; }   // (N) int64
    public int NumClasses { get; }
    public long Count => Images.shape[0];
    public int Channels => (int)Images.shape[1];
    public int Height => (int)Images.shape[2];
    public int Width => (int)Images.shape[3];

    /// <summary>A new dataset on rows [start, start + count); it shares storage with this one.</summary>
    public Dataset Slice(long start, long count)
    {
        if (start < 0 || count < 0 || start + count > Count)
            throw new ArgumentOutOfRangeException(nameof(count), $"dataset '{Name}': rows [{start}, {start + count}) are outside [0, {Count})");
        return new Dataset(Name, Images.narrow(0, start, count), Labels.narrow(0, start, count), NumClasses);
    }

    public void Dispose()
    {
        Images.Dispose();
        Labels.Dispose();
    }
}
