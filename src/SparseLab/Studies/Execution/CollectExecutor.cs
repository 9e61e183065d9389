// `study collect DIR`: the runs were trained elsewhere (submitted with
// --no-wait); the study only collects them, and refuses to write a report
// with holes while any run has not finished.
using SparseLab.Foundations;
using SparseLab.Training;

namespace SparseLab.Studies.Execution;

public sealed class CollectExecutor : IRunExecutor
{
    public bool InProcess => false;
    public void CheckBeforeClaim() { }

    public bool Execute(StudyPlan plan, ITrainingObserver observer)
    {
        var open = plan.Runs.Where(r => !r.IsFinished).Select(r => r.Label).ToList();
        if (open.Count > 0)
            throw new SparseLabException(
                $"{open.Count} of the study's {plan.Runs.Count} runs have not finished: {string.Join(", ", open.Take(8))}{(open.Count > 8 ? ", ..." : "")}; " +
                $"wait for their jobs (squeue; logs in {plan.Folder.SlurmDir}), or rerun the study with --executor slurm to submit them again");
        observer.Message($"[study] all {plan.Runs.Count} runs have finished; collecting");
        return true;
    }
}
