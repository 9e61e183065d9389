// Where a study's runs train. The local executor is the study itself: it
// trains each run in this process when it reaches it, as it always has. Any
// other executor is handed the study's plan (every run as a run file, in
// stages: the dense runs, then per seed the runs that need its Sol-D; IMP's
// levels one after another), brings
// every run to finished, and the study then collects them in the same order
// the local executor would have trained them, so both write the same numbers.
using SparseLab.Training;

namespace SparseLab.Studies.Execution;

/// <summary>
/// One run of a plan: its run file, the run it waits for (null: none), and its stage (the runs of a stage wait for the
/// same run and go to the scheduler as one job array: "dense", "seed1", ..., or one IMP level).
/// </summary>
public sealed record PlannedRun(string Label, string SpecFile, RunSpec Spec, string Stage, string? WaitsFor)
{
    public bool IsFinished => new RunFolder(Spec.ResolveDir()).IsFinished;
}

public sealed record StudyPlan(StudyFolder Folder, IReadOnlyList<PlannedRun> Runs);

public interface IRunExecutor
{
    /// <summary>Whether the study trains its runs itself, in this process (local).</summary>
    bool InProcess { get; }

    /// <summary>Refuses an executor that cannot run here (no sbatch, an unknown partition), before the study writes anything.</summary>
    void CheckBeforeClaim();

    /// <summary>Brings every run of the plan to finished and returns true, or submits them and returns false (--no-wait).</summary>
    bool Execute(StudyPlan plan, ITrainingObserver observer);
}

/// <summary>Today's behaviour: the study trains every run in this process, one after another.</summary>
public sealed class LocalExecutor : IRunExecutor
{
    public static LocalExecutor Instance { get; } = new();
    public bool InProcess => true;
    public void CheckBeforeClaim() { }
    public bool Execute(StudyPlan plan, ITrainingObserver observer) => throw new InvalidOperationException("the local executor trains in the study itself");
}
