// When a mask may change: every ΔT optimizer steps from t0 up to T_end
// (METHODS §4: SET/RigL update every ΔT steps until T_end = 75 % of training;
// GMP prunes every Δt steps over t0 ≤ t ≤ t0 + nΔt). Steps count completed
// optimizer steps, so the first possible update follows step 1.
using SparseLab.Foundations;

namespace SparseLab.Schedules;

public sealed record UpdateWindow(long Start, long End, int Every)
{
    /// <summary>The default T_end: 75 % of training (Evci et al. 2020).</summary>
    public const double DefaultEndFraction = 0.75;

    /// <summary>The window of a schedule for a run of <paramref name="totalSteps"/> steps; refuses a window beyond the run or without an update.</summary>
    public static UpdateWindow From(MaskScheduleConfig c, long stepsPerEpoch, long totalSteps)
    {
        string F(string field) => ConfigError.Field($"MaskSchedule.{field}");
        long end = c.UpdateEnd?.ToSteps(stepsPerEpoch, totalSteps) ?? (long)Math.Floor(DefaultEndFraction * totalSteps);
        long start = c.UpdateStart.ToSteps(stepsPerEpoch, totalSteps);
        long every = c.UpdateEvery.ToSteps(stepsPerEpoch, totalSteps);
        Check.That(end > 0, $"{F("UpdateEnd")} {c.UpdateEnd}: T_end must be a positive step");
        Check.That(end <= totalSteps, $"{F("UpdateEnd")} {c.UpdateEnd} is step {end}, beyond the end of training ({totalSteps} steps); use a step at most {totalSteps} or a fraction such as 0.75");
        Check.That(start < end, $"{F("UpdateStart")} {c.UpdateStart} (step {start}) is not before T_end = {end} (of {totalSteps} steps); lower {F("UpdateStart")} or raise {F("UpdateEnd")}");
        Check.That(every is >= 1 and <= int.MaxValue, $"{F("UpdateEvery")} {c.UpdateEvery} is {every} steps; the interval must be at least 1 step");
        var window = new UpdateWindow(start, end, (int)every);
        Check.That(window.Updates > 0,
            $"{F("UpdateEvery")} {c.UpdateEvery} leaves no mask update between step {Math.Max(1, start)} and T_end = {end} ({totalSteps} steps in all); use a smaller {F("UpdateEvery")}");
        return window;
    }

    /// <summary>n: whole intervals ΔT inside [t0, T_end].</summary>
    public long Intervals => (End - Start) / Every;

    /// <summary>Update steps t = t0 + kΔT with 1 ≤ t ≤ T_end.</summary>
    public long Updates => Intervals + (Start >= 1 ? 1 : 0);

    public bool Contains(long step) => step >= 1 && step >= Start && step <= End && (step - Start) % Every == 0;
}
