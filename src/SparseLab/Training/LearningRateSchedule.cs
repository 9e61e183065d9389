// Learning rate as a function of the optimizer step: constant, step (multiply
// by gamma at each milestone epoch) or cosine annealing to 0 (Loshchilov &
// Hutter 2017, without restarts), after an optional linear warm-up.
using SparseLab.Foundations;

namespace SparseLab.Training;

public sealed record LearningRateSchedule(
    string Kind, double BaseLr, long TotalSteps, long StepsPerEpoch,
    IReadOnlyList<int> MilestoneEpochs, double Gamma, double WarmupEpochs)
{
    public static LearningRateSchedule From(TrainConfig c, long totalSteps, long stepsPerEpoch) =>
        new(c.LrSchedule, c.Lr, totalSteps, stepsPerEpoch, c.Milestones, c.Gamma, c.WarmupEpochs);

    private long WarmupSteps => (long)Math.Round(WarmupEpochs * StepsPerEpoch);

    /// <summary>The rate used for the update at 0-based step t.</summary>
    public double At(long t)
    {
        long warm = WarmupSteps;
        if (t < warm)
            return BaseLr * (t + 1) / warm;   // reaches BaseLr on the last warm-up step
        return Kind switch
        {
            "constant" => BaseLr,
            "step" => BaseLr * Math.Pow(Gamma, MilestoneEpochs.Count(m => t >= (long)m * StepsPerEpoch)),
            "cosine" => CosineAt(t - warm, Math.Max(1, TotalSteps - warm)),
            _ => throw new InvalidOptionException($"--lr-schedule '{Kind}' is not known; use constant, step or cosine"),
        };
    }

    private double CosineAt(long t, long span) => 0.5 * BaseLr * (1 + Math.Cos(Math.PI * t / span));
}
