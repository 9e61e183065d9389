// The Slurm commands a study uses (sbatch, squeue, sinfo, scancel, sacct),
// each started with an argument list, never through a shell, so a path or a
// partition name is passed exactly as it is. Finding whether a task is still
// in the queue needs only squeue; sacct is asked for a task's final state
// only for the error message, since clusters without accounting storage
// (Debian's slurm-wlm out of the box) do not have one.
using System.Diagnostics;
using SparseLab.Foundations;

namespace SparseLab.Studies.Execution;

public sealed class SlurmClient
{
    /// <summary>Where sbatch is, or null when it is not on PATH.</summary>
    public static string? Find(string command)
    {
        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            string file = Path.Combine(dir, command);
            if (File.Exists(file)) return file;
        }
        return null;
    }

    /// <summary>Whether a cluster answers: sinfo runs and lists a partition.</summary>
    public static bool Reachable()
    {
        if (Find("sinfo") is null) return false;
        try
        {
            var (code, output, _) = Run("sinfo", ["-h", "-o", "%P"], TimeSpan.FromSeconds(10));
            return code == 0 && output.Trim().Length > 0;
        }
        catch (SparseLabException)
        {
            return false;
        }
    }

    /// <summary>The partitions sinfo lists (the default one without its "*").</summary>
    public IReadOnlyList<string> Partitions()
    {
        var (code, output, error) = Run("sinfo", ["-h", "-o", "%P"]);
        if (code != 0) throw new SparseLabException($"sinfo failed (exit {code}): {OneLine(error)}; is the cluster up? (scripts/local-slurm.sh starts a one-node one)");
        return [.. Lines(output).Select(p => p.TrimEnd('*')).Distinct()];
    }

    /// <summary>Submits a batch script; returns the job id (sbatch --parsable).</summary>
    public string Submit(IReadOnlyList<string> arguments, string script)
    {
        var (code, output, error) = Run("sbatch", ["--parsable", .. arguments, script]);
        if (code != 0) throw new SparseLabException($"sbatch refused the job (exit {code}): {OneLine(error)}");
        string id = Lines(output).LastOrDefault()?.Split(';')[0] ?? "";
        if (id.Length == 0 || !id.All(char.IsAsciiDigit)) throw new SparseLabException($"sbatch printed no job id: '{OneLine(output)}'");
        return id;
    }

    /// <summary>Every job array task in the queue (pending, running, completing), as "JOB_TASK" → state.</summary>
    public IReadOnlyDictionary<string, string> Queue()
    {
        var (code, output, error) = Run("squeue", ["-h", "-r", "-o", "%i|%T"]);
        if (code != 0) throw new SparseLabException($"squeue failed (exit {code}): {OneLine(error)}");
        var tasks = new Dictionary<string, string>();
        foreach (var line in Lines(output))
        {
            var parts = line.Split('|');
            if (parts.Length == 2) tasks[parts[0].Trim()] = parts[1].Trim();
        }
        return tasks;
    }

    /// <summary>A finished task's state from accounting (FAILED, CANCELLED, TIMEOUT, NODE_FAIL, ...), or null without accounting.</summary>
    public string? FinalState(string task)
    {
        if (Find("sacct") is null) return null;
        try
        {
            var (code, output, _) = Run("sacct", ["-n", "-X", "-P", "-j", task, "-o", "State"], TimeSpan.FromSeconds(10));
            return code == 0 ? Lines(output).FirstOrDefault()?.Split(' ')[0] : null;
        }
        catch (SparseLabException)
        {
            return null;
        }
    }

    public void Cancel(IEnumerable<string> jobs)
    {
        var list = jobs.ToList();
        if (list.Count == 0) return;
        var (code, _, error) = Run("scancel", list);
        if (code != 0) throw new SparseLabException($"scancel {string.Join(" ", list)} failed (exit {code}): {OneLine(error)}");
    }

    private static (int Code, string Output, string Error) Run(string command, IReadOnlyList<string> arguments, TimeSpan? timeout = null)
    {
        string file = Find(command) ?? throw new SparseLabException($"{command} is not on PATH; --executor slurm needs the Slurm client commands (Debian: apt-get install slurm-client)");
        var info = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in arguments) info.ArgumentList.Add(a);
        using var p = Process.Start(info) ?? throw new SparseLabException($"{command} could not be started");
        var output = p.StandardOutput.ReadToEndAsync();
        var error = p.StandardError.ReadToEndAsync();
        if (!p.WaitForExit(timeout ?? TimeSpan.FromMinutes(2)))
        {
            p.Kill(entireProcessTree: true);
            throw new SparseLabException($"{command} {string.Join(" ", arguments)} did not answer in time; is slurmctld up?");
        }
        return (p.ExitCode, output.Result, error.Result);
    }

    private static IEnumerable<string> Lines(string text) => text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
    private static string OneLine(string text) => string.Join(" ", Lines(text));
}
