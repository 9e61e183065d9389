// Name → mask schedule (the --schedule registry), what each needs to start
// (SET and RigL a random ERK mask, Evci et al. 2020), and the check of its
// window against the run's length before any work.
using SparseLab.Foundations;
using SparseLab.Sparsity;
using SparseLab.Training;

namespace SparseLab.Schedules;

public static class MaskSchedules
{
    private sealed record Entry(Func<TrainConfig, UpdateWindow, MaskSchedule> Create, bool DropAndGrow);

    private static readonly Dictionary<string, Entry> Registry = new(StringComparer.Ordinal)
    {
        ["none"] = new((c, _) => new OneShotSchedule(c.Sparsity.Target), false),
        ["gmp"] = new((c, w) => new GmpSchedule(w, c.MaskSchedule.InitialSparsity, c.Sparsity.Target, BudgetRegistry.Create(c.Sparsity.Budget)), false),
        ["set"] = new((c, w) => new SetSchedule(w, c.MaskSchedule.DropFraction, c.Sparsity.Target), true),
        ["rigl"] = new((c, w) => new RigLSchedule(w, c.MaskSchedule.DropFraction, c.Sparsity.Target), true),
    };

    public static NameSet Names { get; } = new([.. Registry.Keys]);

    /// <summary>Drop-and-grow schedules (SET, RigL): they keep the sparsity and move weights, with a drop fraction α.</summary>
    public static bool DropsAndGrows(string kind) => Registry.TryGetValue(kind, out var e) && e.DropAndGrow;

    /// <summary>Schedules that raise the sparsity as they go (GMP), from --initial-sparsity.</summary>
    public static bool Prunes(string kind) => kind != "none" && !DropsAndGrows(kind);

    /// <summary>The start mask a schedule uses when the criterion and budget are not given: random ERK for SET and RigL.</summary>
    public static (string Criterion, string Budget)? DefaultStart(string kind) => DropsAndGrows(kind) ? ("random", "erk") : null;

    /// <summary>The schedule of a config for a run of <paramref name="totalSteps"/> optimizer steps.</summary>
    public static MaskSchedule Create(TrainConfig c, long stepsPerEpoch, long totalSteps) =>
        Registry[c.MaskSchedule.Kind].Create(c, c.DynamicMask ? UpdateWindow.From(c.MaskSchedule, stepsPerEpoch, totalSteps) : null!);
}
