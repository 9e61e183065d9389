// libtorch allocates activations with malloc. With glibc's defaults, the
// megabyte-sized buffers of a training step are returned to the OS when a
// step's tensors are freed (TorchSharp frees them together, at the end of the
// step's dispose scope) and page-faulted back in on the next step: measured
// here as 25-30 % of a ResNet-20 training step on 2 cores. Keeping freed memory
// in the heap removes that cost; peak memory is unchanged as long as the freed
// blocks can be reused, which small allocations left among them prevent
// (FinalizerSweep frees TorchSharp's Scalars after every step for that reason).
using System.Runtime.InteropServices;

namespace SparseLab.Foundations;

public static partial class NativeAllocator
{
    private const int MTrimThreshold = -1;   // mallopt parameters from glibc's malloc.h
    private const int MMmapThreshold = -3;
    private static int _done;

    /// <summary>Once per process, on glibc: serve blocks up to 32 MiB from the heap and never trim it.</summary>
    public static void KeepFreedMemory()
    {
        if (Interlocked.Exchange(ref _done, 1) == 1 || !OperatingSystem.IsLinux()) return;
        try
        {
            mallopt(MMmapThreshold, 32 << 20);      // glibc's largest allowed threshold on 64-bit
            mallopt(MTrimThreshold, int.MaxValue);
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            // Not glibc (musl): nothing to tune.
        }
    }

    [LibraryImport("libc", EntryPoint = "mallopt")]
    private static partial int mallopt(int param, int value);
}
