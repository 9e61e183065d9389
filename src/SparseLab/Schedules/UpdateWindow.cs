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

    /// <summary>The window of a config for a run of <paramref name="totalSteps"/> steps; refuses a window beyond the run or without an update.</summary>
    public static UpdateWindow From(TrainConfig c, long totalSteps)
    {
        long end = c.UpdateEnd ?? (long)Math.Floor(DefaultEndFraction * totalSteps);
        if (end > totalSteps)
            throw new InvalidOptionException($"--update-end {end} is beyond the end of training ({totalSteps} steps); use a step at most {totalSteps}");
        if (c.UpdateStart >= end)
            throw new InvalidOptionException($"--update-start {c.UpdateStart} is not before T_end = {end} (of {totalSteps} steps); lower --update-start or raise --update-end");
        var window = new UpdateWindow(c.UpdateStart, end, c.UpdateEvery);
        if (window.Updates == 0)
            throw new InvalidOptionException(
                $"--update-every {c.UpdateEvery} leaves no mask update between step {Math.Max(1, c.UpdateStart)} and T_end = {end} ({totalSteps} steps in all); use a smaller --update-every");
        return window;
    }

    /// <summary>n: whole intervals ΔT inside [t0, T_end].</summary>
    public long Intervals => (End - Start) / Every;

    /// <summary>Update steps t = t0 + kΔT with 1 ≤ t ≤ T_end.</summary>
    public long Updates => Intervals + (Start >= 1 ? 1 : 0);

    public bool Contains(long step) => step >= 1 && step >= Start && step <= End && (step - Start) % Every == 0;
}
