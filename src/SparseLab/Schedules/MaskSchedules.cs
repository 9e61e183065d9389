// Name → mask schedule (the --schedule registry). Checks the schedule's
// window against the run's length before any work.
using SparseLab.Foundations;
using SparseLab.Sparsity;

namespace SparseLab.Schedules;

public static class MaskSchedules
{
    /// <summary>The schedule of a config for a run of <paramref name="totalSteps"/> optimizer steps.</summary>
    public static MaskSchedule Create(TrainConfig c, long totalSteps) => c.Schedule switch
    {
        "none" => new OneShotSchedule(c.Sparsity),
        "gmp" => new GmpSchedule(UpdateWindow.From(c, totalSteps), c.InitialSparsity, c.Sparsity, BudgetRegistry.Create(c.Budget)),
        "set" => new SetSchedule(UpdateWindow.From(c, totalSteps), c.DropFraction, c.Sparsity),
        "rigl" => new RigLSchedule(UpdateWindow.From(c, totalSteps), c.DropFraction, c.Sparsity),
        _ => throw new InvalidOptionException($"--schedule '{c.Schedule}' is not known; use one of: {string.Join(", ", TrainConfig.MaskSchedules)}"),
    };
}
