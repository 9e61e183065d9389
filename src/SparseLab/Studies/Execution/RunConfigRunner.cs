// `sparselab run-config FILE`, the library side: what every Slurm task runs.
// It makes the masks the run needs (the first task of a seed to start makes
// them; the others find them), then trains into the run's folder, resuming a
// partial run there: a resubmitted task continues from its last checkpoint.
using SparseLab.Foundations;
using SparseLab.Training;

namespace SparseLab.Studies.Execution;

/// <summary>Runs one run file: makes the masks it needs, then trains, resuming a partial run in its folder.</summary>
public static class RunConfigRunner
{
    public static TrainingOutcome Execute(string file, ITrainingObserver observer)
    {
        var spec = RunSpec.Read(file);
        spec.Config.Validate();
        TorchRuntime.SetThreads(spec.Config.Runtime.Threads, observer.Message);   // the masks are made with the run's threads
        foreach (var mask in spec.Masks)
        {
            if (File.Exists(mask.File)) continue;
            observer.Message($"[run-config] making the mask {System.IO.Path.GetFileName(mask.File)} from {System.IO.Path.GetFileName(mask.Source)}:{mask.Checkpoint}");
            mask.Make(observer.Message);
        }
        string dir = spec.ResolveDir();
        observer.Message($"[run-config] {spec.Label}: {dir}");
        return TrainingRun.Execute(spec.Config, dir, resume: true, observer, spec.Callbacks(), strictKernels: false);
    }
}
