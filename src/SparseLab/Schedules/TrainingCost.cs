// Training cost in dense-equivalent FLOPs, integrated over the steps from the
// run's "mask" events (resume-safe: metrics.jsonl is cut back to the resumed
// step). Model, as in the RigL paper (Evci et al. 2020, Appendix H): a step
// costs 3× the forward FLOPs at the mask in force (forward, backward to the
// inputs, backward to the weights), so with relative forward cost r it costs
// 3r; a RigL update step computes the weight gradient densely: 2r + 1.
// The result is relative to training the dense model for the same steps.
using SparseLab.Reporting;

namespace SparseLab.Schedules;

public static class TrainingCost
{
    /// <summary>Cost of a run of <paramref name="totalSteps"/> relative to dense training; 1 when the run logged no mask events (dense).</summary>
    public static double Relative(string metricsFile, long totalSteps)
    {
        if (totalSteps <= 0 || !File.Exists(metricsFile)) return 1;
        var events = MetricsLog.Read(metricsFile).Where(e => (string?)e["event"] == "mask")
            .Select(e => (Step: (long?)e["step"] ?? 0, Cost: (double?)e["forward_cost"] ?? 1, Dense: (bool?)e["dense_gradient"] ?? false))
            .OrderBy(e => e.Step).ToList();
        return Relative(events, totalSteps);
    }

    /// <summary>Events: (step after which the mask holds, its forward cost ratio, whether that step read a dense gradient).</summary>
    public static double Relative(IReadOnlyList<(long Step, double Cost, bool Dense)> events, long totalSteps)
    {
        if (events.Count == 0) return 1;
        double cost = 0;
        for (int i = 0; i < events.Count; i++)
        {
            long from = Math.Clamp(events[i].Step, 0, totalSteps);
            long to = i + 1 < events.Count ? Math.Clamp(events[i + 1].Step, 0, totalSteps) : totalSteps;
            cost += 3 * events[i].Cost * Math.Max(0, to - from);
            // The update at step t used the mask before it (events[i − 1]) for its forward and backward passes.
            if (events[i].Dense && i > 0) cost += 1 - events[i - 1].Cost;
        }
        return cost / (3.0 * totalSteps);
    }
}
