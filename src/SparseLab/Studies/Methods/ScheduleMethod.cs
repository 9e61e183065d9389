// GMP, SET or RigL (METHODS §4) trained from the dense recipe's init to the
// sparsity with its own schedule and mask: SET and RigL start from a random
// ERK mask (Evci et al. 2020), GMP prunes by magnitude with the study's budget.
// Its cost is its own training in dense-equivalent FLOPs.
using SparseLab.Schedules;
using SparseLab.Training;

namespace SparseLab.Studies.Methods;

public sealed class ScheduleMethod(string schedule, string color) : StudyMethod
{
    public override string Name => schedule;
    public override MethodKind Kind => MethodKind.Schedule;
    public override string Color => color;

    public override bool NeedsDenseRun => false;

    public TrainConfig ConfigFor(GapStudyConfig config, long seed, double sparsity)
    {
        var t = config.Train;
        var (criterion, budget) = MaskSchedules.DefaultStart(schedule) ?? ("magnitude", config.Budget);
        return t with
        {
            Seed = seed,
            Sparsity = t.Sparsity with { Target = sparsity, Criterion = criterion, Budget = budget },
            MaskSchedule = t.MaskSchedule with { Kind = schedule },
        };
    }

    /// <summary>The update window of every sparsity against the run's length, before any run starts.</summary>
    public override void CheckBeforeRuns(GapStudy study)
    {
        foreach (double s in study.Config.Sparsities)
            study.InTrainSection(() => MaskSchedules.Create(ConfigFor(study.Config, 1, s), study.StepsPerEpoch, study.TotalSteps));
    }

    public override RunFolder Run(GapStudy study, SparseCell cell) =>
        study.Train(Name, ConfigFor(study.Config, cell.Seed, cell.Sparsity), cell);
}
