// One sbatch submission: a job array whose task i runs the i-th run file
// (`run-config FILE` through the launcher this process was started with),
// its job log in the study's slurm/ folder, the resources asked for, and the
// task it waits for. The script is a file, with every path single-quoted;
// sbatch itself is called with an argument list (SlurmClient).
using SparseLab.Foundations;

namespace SparseLab.Studies.Execution;

public sealed record SlurmBatch(string Name, IReadOnlyList<string> Commands, string? AfterOk)
{
    /// <summary>The log of task i once the array has its job id (--output NAME-%A_%a.log).</summary>
    public static string LogOf(string slurmDir, string name, string job, int task) => Path.Combine(slurmDir, $"{name}-{job}_{task}.log");

    /// <summary>Writes the script and returns sbatch's arguments for it.</summary>
    public IReadOnlyList<string> Prepare(string studyDir, string slurmDir, ExecutionConfig x, int defaultCpus, out string script)
    {
        script = Path.Combine(slurmDir, Name + ".sh");
        var lines = new List<string>
        {
            "#!/bin/bash",
            "# Written by SparseLab (--executor slurm): array task i runs the i-th command below.",
            "set -eu",
            "case \"${SLURM_ARRAY_TASK_ID:-0}\" in",
        };
        for (int i = 0; i < Commands.Count; i++) lines.Add($"  {i}) exec {Commands[i]} ;;");
        lines.Add("  *) echo \"error: no command for array task $SLURM_ARRAY_TASK_ID\" >&2; exit 1 ;;");
        lines.Add("esac");
        Directory.CreateDirectory(slurmDir);
        AtomicFile.WriteAllText(script, string.Join("\n", lines) + "\n");

        var args = new List<string>
        {
            $"--job-name=sparselab-{Name}",
            Commands.Count == 1 ? "--array=0" : $"--array=0-{Commands.Count - 1}%{x.SlurmParallel}",
            $"--output={Path.Combine(slurmDir, Name + "-%A_%a.log")}",
            $"--chdir={studyDir}",
            $"--cpus-per-task={x.SlurmCpus ?? defaultCpus}",
        };
        if (x.SlurmPartition is { } p) args.Add($"--partition={p}");
        if (x.SlurmTime is { } t) args.Add($"--time={t}");
        if (x.SlurmMem is { } m) args.Add($"--mem={m}");
        if (x.SlurmGpus is { } g and > 0) args.Add($"--gres=gpu:{g}");
        if (AfterOk is { } dep) args.Add($"--dependency=afterok:{dep}");
        args.AddRange(x.ExtraArgs);
        return args;
    }

    /// <summary>A word for a bash script: single-quoted, with any single quote closed, escaped and reopened.</summary>
    public static string Quote(string word) => "'" + word.Replace("'", "'\\''") + "'";
}
