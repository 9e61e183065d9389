// TorchSharp makes a Scalar of every number handed to a tensor op — `x / 2`,
// masked_fill's value, and AdamW's and SGD's coefficients, several for every
// parameter at every step (about 400 a step for the default GPT). Each holds a
// small native allocation that no dispose scope tracks: only its finalizer
// frees it, after a garbage collection. Training allocates little managed
// memory, so collections are rare (one every ~60 steps of the default GPT), and
// until one comes those Scalars sit in glibc's heap among the step's freed
// activation buffers, which NativeAllocator keeps for reuse: they split the
// free blocks, the next step's buffers no longer fit, and the heap grows. The
// 2,000-step GPT run peaked at 2.5 GiB resident, most of it free heap; with a
// sweep after every step, 0.7 GiB (bench/RESULTS.md, "Memory (peak RSS)"). A
// gen-0 collection queues the step's Scalars for their finalizers, which free
// them on the finalizer thread while the next step runs. At most one per
// Interval: steps of a millisecond (a small MLP) would otherwise pay a
// collection (under a millisecond) each.
using System.Diagnostics;

namespace SparseLab.Foundations;

public sealed class FinalizerSweep(TimeSpan interval)
{
    /// <summary>The default: a GPT or ResNet step (hundreds of milliseconds) is swept after every step.</summary>
    public static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(250);

    private readonly Stopwatch _since = Stopwatch.StartNew();

    public FinalizerSweep() : this(Interval) { }

    /// <summary>After a step: collects when the interval has passed since the last collection; returns whether it did.</summary>
    public bool Tick()
    {
        if (_since.Elapsed < interval) return false;
        Now();
        _since.Restart();
        return true;
    }

    /// <summary>Queues every unreachable object allocated since the last collection for its finalizer.</summary>
    public static void Now() => GC.Collect(0, GCCollectionMode.Forced, blocking: true);
}
