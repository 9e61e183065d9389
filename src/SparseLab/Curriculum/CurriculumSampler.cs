// The curriculum's batch sampler (METHODS §7; Wu et al. 2021 §2): at step t the batch
// is drawn uniformly, without replacement, from the first g(t) examples of the order.
// Each batch is a pure function of (order, pacing, seed, step), so a resumed run replays
// exactly, and the run takes the same number of steps as plain training.
using TorchSharp;
using static TorchSharp.torch;

namespace SparseLab.Curriculum;

public sealed class CurriculumSampler
{
    private const long SampleStream = 0x53414D50;   // "SAMP"
    private readonly PacingOptions _pacing;
    private readonly long _totalSteps;
    private readonly int _batchSize;
    private readonly long _seed;

    public CurriculumSampler(long[] order, PacingOptions pacing, long totalSteps, int batchSize, long seed)
    {
        ArgumentNullException.ThrowIfNull(order);
        ArgumentNullException.ThrowIfNull(pacing);
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(totalSteps, 1);
        if (order.Length < batchSize)
            throw new ArgumentException($"the order holds {order.Length} examples, fewer than a batch of {batchSize}", nameof(order));
        Order = order;
        _pacing = pacing;
        _totalSteps = totalSteps;
        _batchSize = batchSize;
        _seed = seed;
    }

    /// <summary>The example order batches are drawn from; self-paced curricula replace it.</summary>
    public long[] Order { get; set; }

    /// <summary>How many of the first examples of the order step t draws from.</summary>
    public long PoolSize(long step) => Pacing.PoolSize(_pacing, step, _totalSteps, Order.Length, _batchSize);

    /// <summary>The training-set rows of the batch at step t (0-based).</summary>
    public long[] Rows(long step)
    {
        long pool = PoolSize(step);
        using var generator = new Generator(Data.SeedMix.Mix(_seed, SampleStream, step));
        using var positions = torch.randperm(pool, generator: generator).narrow(0, 0, _batchSize);
        var order = Order;
        return [.. positions.data<long>().ToArray().Select(p => order[p])];
    }
}
