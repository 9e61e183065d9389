// FinalizerSweep: a tick after its interval collects, so garbage that only a
// finalizer frees (TorchSharp's Scalars, here a sentinel that counts its
// finalizer) is finalized; a tick within the interval does not collect.
using System.Runtime.CompilerServices;
using SparseLab.Foundations;
using TorchSharp;

namespace SparseLab.Tests.Foundations;

public sealed class FinalizerSweepTests
{
    [Fact]
    public void Given_garbage_with_a_finalizer_When_the_sweep_ticks_after_its_interval_Then_the_finalizer_runs()
    {
        var finalized = new StrongBox<int>();
        Sentinel.Drop(finalized);
        int collections = GC.CollectionCount(0);

        Assert.True(new FinalizerSweep(TimeSpan.Zero).Tick());
        GC.WaitForPendingFinalizers();

        Assert.True(GC.CollectionCount(0) > collections);
        Assert.Equal(1, Volatile.Read(ref finalized.Value));
    }

    [Fact]
    public void Given_a_tick_within_the_interval_Then_it_does_not_collect()
    {
        var sweep = new FinalizerSweep(TimeSpan.FromHours(1));
        Assert.False(sweep.Tick());
        Assert.False(sweep.Tick());
    }

    [Fact]
    public void Given_a_dropped_torch_scalar_When_swept_Then_it_is_queued_for_its_finalizer()
    {
        var weak = DropScalar();
        FinalizerSweep.Now();
        Assert.False(weak.IsAlive);   // a short weak reference clears when its target is queued for finalization
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static WeakReference DropScalar() => new(2.5.ToScalar());
}

/// <summary>Counts its finalizer: stands for a native handle that only a finalizer frees.</summary>
internal sealed class Sentinel(StrongBox<int> finalized)
{
    ~Sentinel() => Interlocked.Increment(ref finalized.Value);

    [MethodImpl(MethodImplOptions.NoInlining)]
    public static void Drop(StrongBox<int> finalized) => _ = new Sentinel(finalized);
}
