// The early phase's candidate pool for one step: K·B training rows (at most the whole set) drawn
// uniformly without replacement by a generator seeded by (seed, step) alone (Data/SeedMix), so every
// early arm of the same seed (fisher, fisher-hard, loss, random) sees the very same pool at every step,
// and a resumed run replays it.
using SparseLab.Data;
using TorchSharp;
using static TorchSharp.torch;

namespace SparseLab.EarlyPhase;

public static class EarlyPool
{
    private const long PoolStream = 0x45504F4F;   // "EPOO"

    /// <summary>K·B examples, at most the training set.</summary>
    public static long Size(int batchSize, int poolFactor, long trainCount) => Math.Min((long)batchSize * poolFactor, trainCount);

    /// <summary>The pool's training rows at <paramref name="step"/>, in the order drawn.</summary>
    public static long[] Rows(long seed, long step, long trainCount, long size)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(size, trainCount);
        using var generator = new Generator(SeedMix.Mix(seed, PoolStream, step));
        using var perm = torch.randperm(trainCount, generator: generator);
        return perm.narrow(0, 0, size).data<long>().ToArray();
    }
}
