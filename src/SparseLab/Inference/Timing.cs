// Median wall time of repeated calls after warm-up: at least a few
// repetitions and a fraction of a second, stopping early for slow calls.
using System.Diagnostics;

namespace SparseLab.Inference;

public static class Timing
{
    /// <param name="warmupSeconds">
    /// The least warm-up time, so the JIT has finished tiering up; code whose hot methods are compiled fully
    /// optimized at once (AggressiveOptimization, as the sparse kernels are) needs none beyond <paramref name="warmup"/>.
    /// </param>
    public static double MedianMs(Action run, int warmup = 2, int minReps = 5, double minSeconds = 0.3, double maxSeconds = 4, double warmupSeconds = 0.2)
    {
        var warm = Stopwatch.StartNew();
        for (int i = 0; i < warmup || (warm.Elapsed.TotalSeconds < warmupSeconds && i < 1000); i++) run();
        var times = new List<double>();
        var total = Stopwatch.StartNew();
        while (times.Count < 3 || (times.Count < minReps || total.Elapsed.TotalSeconds < minSeconds) && total.Elapsed.TotalSeconds < maxSeconds && times.Count < 200)
        {
            var clock = Stopwatch.StartNew();
            run();
            times.Add(clock.Elapsed.TotalMilliseconds);
        }
        times.Sort();
        return times.Count % 2 == 1 ? times[times.Count / 2] : (times[times.Count / 2 - 1] + times[times.Count / 2]) / 2;
    }
}
