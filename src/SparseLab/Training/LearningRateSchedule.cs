// Learning rate as a function of the optimizer step: constant, step (multiply
// by gamma at each milestone) or cosine annealing to 0 (Loshchilov & Hutter
// 2017, without restarts), after an optional linear warm-up. Milestones and
// the warm-up are durations, resolved to steps here for the run's length.
using SparseLab.Foundations;

namespace SparseLab.Training;

public sealed record LearningRateSchedule(string Kind, double BaseLr, long TotalSteps, IReadOnlyList<long> MilestoneSteps, double Gamma, long WarmupSteps)
{
    public static NameSet Names { get; } = new("constant", "step", "cosine");

    /// <summary>The schedule of a run; refuses milestones that are not increasing or fall past the end of training.</summary>
    public static LearningRateSchedule From(OptimizationConfig c, long totalSteps, long stepsPerEpoch)
    {
        var milestones = c.Milestones.Select(m => m.ToSteps(stepsPerEpoch, totalSteps)).ToList();
        string list = string.Join(",", c.Milestones);
        Check.That(milestones.Zip(milestones.Skip(1)).All(p => p.First < p.Second) && milestones.All(m => m > 0),
            nameof(c.Milestones), $"{list} must be increasing and after the start (steps {string.Join(",", milestones)})");
        Check.That(milestones.All(m => m < totalSteps), nameof(c.Milestones),
            $"{list} falls at step {milestones.LastOrDefault()}, past the end of training ({totalSteps} steps), so the rate would never drop there; " +
            $"use fractions of the run such as 0.5,0.75, which follow {ConfigError.Field(nameof(c.Epochs))}");
        long warmup = c.Warmup.ToSteps(stepsPerEpoch, totalSteps);
        Check.That(warmup <= totalSteps, nameof(c.Warmup), $"{c.Warmup} is {warmup} steps, longer than training ({totalSteps} steps)");
        return new(c.LrSchedule, c.Lr, totalSteps, milestones, c.Gamma, warmup);
    }

    /// <summary>The rate used for the update at 0-based step t.</summary>
    public double At(long t)
    {
        long warm = WarmupSteps;
        if (t < warm)
            return BaseLr * (t + 1) / warm;   // reaches BaseLr on the last warm-up step
        return Kind switch
        {
            "constant" => BaseLr,
            "step" => BaseLr * Math.Pow(Gamma, MilestoneSteps.Count(m => t >= m)),
            "cosine" => CosineAt(t - warm, Math.Max(1, TotalSteps - warm)),
            _ => throw new InvalidOperationException($"unknown learning-rate schedule '{Kind}'"),
        };
    }

    private double CosineAt(long t, long span) => 0.5 * BaseLr * (1 + Math.Cos(Math.PI * t / span));
}
