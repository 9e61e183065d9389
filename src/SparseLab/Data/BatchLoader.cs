// Turns a Dataset into normalized float batches on a device, in a seeded order that any crash can replay.
using TorchSharp;
using static TorchSharp.torch;

namespace SparseLab.Data;

/// <summary>
/// Batch <c>index</c> of epoch <c>epoch</c> is a pure function of (data, seed, epoch, index): the training
/// order is a permutation seeded by (seed, epoch) and augmentation draws from a generator seeded by
/// (seed, epoch, index). Evaluation batches are sequential and never augmented.
/// </summary>
public sealed class BatchLoader
{
    private readonly Dataset _data;
    private readonly DatasetInfo _info;
    private readonly int _batchSize;
    private readonly bool _train;
    private readonly Device _device;

    // The permutation of the last epoch asked for, kept as plain longs so no tensor outlives a call.
    private long[]? _order;
    private (long Seed, int Epoch) _orderKey;

    public BatchLoader(Dataset data, DatasetInfo info, int batchSize, bool train, Device device)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(info);
        ArgumentNullException.ThrowIfNull(device);
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        if (data.Count == 0)
            throw new ArgumentException($"dataset '{data.Name}' is empty", nameof(data));
        if (data.Channels != info.Channels || info.Mean.Length != info.Channels || info.Std.Length != info.Channels)
            throw new ArgumentException(
                $"dataset '{data.Name}' has {data.Channels} channels, but its info has {info.Channels} channels, " +
                $"{info.Mean.Length} means and {info.Std.Length} stds", nameof(info));
        _data = data;
        _info = info;
        _batchSize = batchSize;
        _train = train;
        _device = device;
        BatchesPerEpoch = (int)((data.Count + batchSize - 1) / batchSize);
    }

    /// <summary>ceil(N / batch size); the last batch may be smaller.</summary>
    public int BatchesPerEpoch { get; }

    /// <summary>Input (B, C, H, W) float32 normalized, labels (B) int64, both on the device; the caller disposes them.</summary>
    public (Tensor Input, Tensor Labels) Batch(long seed, int epoch, int index)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, BatchesPerEpoch);
        long start = (long)index * _batchSize;
        long size = Math.Min(_batchSize, _data.Count - start);
        if (_train) return BatchOf(Order(seed, epoch).AsSpan((int)start, (int)size).ToArray(), seed, epoch, index);

        using var scope = NewDisposeScope();
        var pixels = _data.Images.narrow(0, start, size);
        var labels = _data.Labels.narrow(0, start, size).clone();   // the caller may change it in place
        return Prepare(pixels, labels, seed, epoch, index);
    }

    /// <summary>
    /// The given training rows as a batch (a curriculum's sampler chooses them); augmented like batch
    /// <c>index</c> of <c>epoch</c> when the loader trains.
    /// </summary>
    public (Tensor Input, Tensor Labels) BatchOf(long[] rows, long seed, int epoch, int index)
    {
        ArgumentNullException.ThrowIfNull(rows);
        using var scope = NewDisposeScope();
        var selected = torch.tensor(rows, dtype: ScalarType.Int64);
        return Prepare(_data.Images.index_select(0, selected), _data.Labels.index_select(0, selected), seed, epoch, index);
    }

    // (B, C, H, W) uint8 and (B) int64 on the CPU → normalized float input and labels on the device, out of the caller's scope.
    private (Tensor Input, Tensor Labels) Prepare(Tensor pixels, Tensor labels, long seed, int epoch, int index)
    {
        var input = pixels.to(_device).to(ScalarType.Float32).div_(255f);   // (B, C, H, W) in [0, 1]
        if (_train && _info.Augment)
        {
            using var generator = new Generator(SeedMix.Mix(seed, epoch, index));
            input = Augmentation.CropAndFlip(input, generator);
        }
        var shape = new long[] { 1, _info.Channels, 1, 1 };
        var mean = torch.tensor(_info.Mean, dtype: ScalarType.Float32, device: _device).view(shape);
        var std = torch.tensor(_info.Std, dtype: ScalarType.Float32, device: _device).view(shape);
        input = input.sub_(mean).div_(std);

        return (input.MoveToOuterDisposeScope(), labels.to(_device).MoveToOuterDisposeScope());
    }

    private long[] Order(long seed, int epoch)
    {
        if (_order is null || _orderKey != (seed, epoch))
        {
            using var generator = new Generator(SeedMix.Mix(seed, epoch));
            using var perm = torch.randperm(_data.Count, generator: generator);
            _order = perm.data<long>().ToArray();
            _orderKey = (seed, epoch);
        }
        return _order;
    }
}
