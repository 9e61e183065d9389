// Runs a study's plan on a Slurm cluster: one job array per stage, the dense
// runs first, then per seed one array of the runs that need its Sol-D,
// waiting on the dense array's task of that seed (--dependency=afterok:
// JOB_TASK); IMP's levels are a chain of one-task arrays. Every task
// runs `run-config` on its run file in the shared study folder. The study
// then polls squeue; a run is done when its run folder holds summary.json
// (the same marker the local executor reads), so no accounting database is
// needed. A task that leaves the queue without finishing (failed, cancelled,
// out of time, its node lost) is resubmitted up to --slurm-retries times and
// resumes from its last checkpoint; the runs waiting on it are resubmitted
// behind the new task. Runs already finished are never submitted, and runs
// whose task from an earlier submission of the study is still queued (a study
// interrupted while it waited, or submitted with --no-wait) are waited on, not
// submitted again.
using System.Text.Json.Nodes;
using SparseLab.Foundations;
using SparseLab.Training;

namespace SparseLab.Studies.Execution;

/// <param name="launcher">The command that starts this CLI on a node (dotnet and the CLI's dll), before `run-config FILE`.</param>
public sealed class SlurmExecutor(ExecutionConfig x, IReadOnlyList<string> launcher, int runThreads) : IRunExecutor
{
    private readonly SlurmClient _client = new();
    private readonly List<string> _jobs = [];
    private readonly List<Tracked> _tracked = [];
    private int _submissions;

    /// <summary>How long the shared-folder probe may wait for a node.</summary>
    public TimeSpan ProbePatience { get; init; } = TimeSpan.FromMinutes(10);

    public bool InProcess => false;

    /// <summary>How long a task may be out of the queue without its summary.json before it counts as failed.</summary>
    private TimeSpan Grace => TimeSpan.FromSeconds(Math.Clamp(2 * x.SlurmPoll, 2, 30));

    public void CheckBeforeClaim()
    {
        x.Validate();
        if (SlurmClient.Find("sbatch") is null)
            throw new ConfigError($"{ConfigError.Field(nameof(ExecutionConfig.Executor))} slurm needs sbatch, which is not on PATH (Debian: apt-get install slurm-client; " +
                "scripts/local-slurm.sh sets up a one-node cluster on this machine)");
        var partitions = _client.Partitions();
        if (x.SlurmPartition is { } p && !partitions.Contains(p))
            throw new ConfigError($"{ConfigError.Field(nameof(ExecutionConfig.SlurmPartition))} '{p}' is not a partition of this cluster; use one of {string.Join(", ", partitions)}");
    }

    public bool Execute(StudyPlan plan, ITrainingObserver observer)
    {
        var folder = plan.Folder;
        _submissions = Directory.Exists(folder.SlurmDir) ? Directory.GetFiles(folder.SlurmDir, "??-*.sh").Length : 0;   // scripts keep their names
        var runs = plan.Runs.Select(r => new Tracked(r)).ToList();
        foreach (var r in runs)
        {
            r.Upstream = runs.FirstOrDefault(u => u.Run.Label == r.Run.WaitsFor);
            r.Done = r.Run.IsFinished;
        }
        int before = runs.Count(r => r.Done);
        int queued = AttachEarlierTasks(folder, runs.Where(r => !r.Done).ToList());
        var open = runs.Where(r => !r.Done && r.Task is null).ToList();
        if (queued > 0) observer.Message($"[slurm] {queued} runs are still queued from an earlier submission (jobs {string.Join(", ", _jobs)}); waiting on them");
        if (open.Count == 0 && queued == 0)
        {
            observer.Message($"[slurm] all {runs.Count} runs have finished; nothing to submit");
            return true;
        }
        if (open.Count > 0)
        {
            SharedFolderProbe.Check(_client, folder.Path, folder.SlurmDir, x, ProbePatience, observer.Message);
            int earlier = _jobs.Count;
            // One array per stage, in the plan's order, so a stage's upstream task is submitted before it.
            foreach (var stage in open.GroupBy(r => r.Run.Stage))
                Submit(folder, stage.Key, [.. stage], stage.First().Upstream is { Done: false } u ? u : null);
            var jobs = _jobs.Skip(earlier).ToList();
            observer.Message($"[slurm] submitted {open.Count} runs ({before} had finished) as job{(jobs.Count > 1 ? "s" : "")} {string.Join(", ", jobs)}; logs in {folder.SlurmDir}");
        }
        if (x.NoWait)
        {
            observer.Message("[slurm] not waiting (--no-wait)");
            return false;
        }
        Wait(folder, runs, observer);
        return true;
    }

    private void Wait(StudyFolder folder, List<Tracked> runs, ITrainingObserver observer)
    {
        string lastLine = "";
        while (true)
        {
            var queue = _client.Queue();
            var failed = new List<Tracked>();
            foreach (var r in runs.Where(r => !r.Done))
            {
                if (r.Run.IsFinished) r.Done = true;
                else if (queue.ContainsKey(r.Task!)) r.GoneSince = null;
                // A shared filesystem may show a node's summary.json a little after its task left the queue.
                else if ((r.GoneSince ??= DateTime.UtcNow) < DateTime.UtcNow - Grace) failed.Add(r);
            }
            foreach (var f in failed) Resubmit(folder, f, runs, failed, observer);

            int done = runs.Count(r => r.Done);
            int running = runs.Count(r => !r.Done && r.Task is { } t && queue.TryGetValue(t, out var s) && s == "RUNNING");
            string line = $"[slurm] {Bar(done, runs.Count)} {done}/{runs.Count} runs finished, {running} running, {runs.Count - done - running} waiting";
            if (line != lastLine) observer.Message(lastLine = line);
            if (done == runs.Count) return;
            System.Threading.Thread.Sleep(TimeSpan.FromSeconds(x.SlurmPoll));
        }
    }

    /// <summary>A task left the queue without its run finishing: submit it again (it resumes), and the runs waiting on it behind it.</summary>
    private void Resubmit(StudyFolder folder, Tracked f, List<Tracked> runs, List<Tracked> failedNow, ITrainingObserver observer)
    {
        f.Failures++;
        string state = _client.FinalState(f.Task!) ?? "left the queue without a summary.json";
        if (f.Failures > x.SlurmRetries) Stop(f, state, runs);
        observer.Message($"[slurm] {f.Run.Label}: task {f.Task} {state}; resubmitting it (attempt {f.Failures + 1} of {x.SlurmRetries + 1}), it resumes from its last checkpoint");
        Submit(folder, $"retry{f.Failures}-{f.Run.Label}", [f], f.Upstream is { Done: false } u ? u : null);
        Requeue(folder, f, runs, failedNow, $"after-retry{f.Failures}");
    }

    /// <summary>
    /// Runs waiting on a task that was replaced would wait forever (afterok never holds): cancel them and queue them behind
    /// the new task, and so on down the chain (IMP's later levels).
    /// </summary>
    private void Requeue(StudyFolder folder, Tracked upstream, List<Tracked> runs, List<Tracked> failedNow, string why)
    {
        var waiting = runs.Where(r => !r.Done && r.Upstream == upstream && !failedNow.Contains(r)).ToList();
        if (waiting.Count == 0) return;
        _client.Cancel(waiting.Select(r => r.Task!));
        foreach (var stage in waiting.GroupBy(r => r.Run.Stage))
            Submit(folder, $"{stage.Key}-{why}", [.. stage], upstream);
        foreach (var w in waiting) Requeue(folder, w, runs, failedNow, why);
    }

    /// <summary>A run failed more often than --slurm-retries allows: cancel what is left and stop with its name and the end of its log.</summary>
    private void Stop(Tracked f, string state, List<Tracked> runs)
    {
        try
        {
            _client.Cancel(runs.Where(r => !r.Done && r != f && r.Task is not null).Select(r => r.Task!));
        }
        catch (SparseLabException)
        {
            // the error below matters more than the leftovers
        }
        string tail = File.Exists(f.Log) ? string.Join("\n", File.ReadLines(f.Log!).TakeLast(15).Select(l => "    " + l)) : "    (no log was written)";
        throw new SparseLabException(
            $"the run {f.Run.Label} failed {f.Failures} time{(f.Failures > 1 ? "s" : "")} (last: task {f.Task}, {state}); the study stops without a report. " +
            $"The end of its log {f.Log}:\n{tail}\nFix the cause and rerun the study: finished runs are kept, the others resume from their checkpoints.");
    }

    private void Submit(StudyFolder folder, string name, List<Tracked> runs, Tracked? after)
    {
        name = $"{++_submissions:00}-{name}";
        var commands = runs.Select(r => string.Join(" ", launcher.Append("run-config").Append(r.Run.SpecFile).Select(SlurmBatch.Quote))).ToList();
        var batch = new SlurmBatch(name, commands, after?.Task);
        var args = batch.Prepare(folder.Path, folder.SlurmDir, x, Math.Max(1, runThreads), out string script);
        string job = _client.Submit(args, script);
        _jobs.Add(job);
        for (int i = 0; i < runs.Count; i++)
        {
            runs[i].Task = $"{job}_{i}";
            runs[i].Log = SlurmBatch.LogOf(folder.SlurmDir, name, job, i);
            runs[i].GoneSince = null;
            if (!_tracked.Contains(runs[i])) _tracked.Add(runs[i]);
        }
        SaveJobs(folder);
    }

    /// <summary>
    /// Takes over the tasks of an earlier submission that are still queued (two tasks must never train one run): those runs
    /// are waited on, not submitted. Returns how many.
    /// </summary>
    private int AttachEarlierTasks(StudyFolder folder, List<Tracked> open)
    {
        string file = JobsFile(folder);
        if (!File.Exists(file)) return 0;
        var doc = JsonNode.Parse(File.ReadAllText(file));
        var tasks = doc?["tasks"]?.AsObject();
        if (tasks is null) return 0;
        var queue = _client.Queue();
        int attached = 0;
        foreach (var r in open)
        {
            if (tasks[r.Run.Label] is not JsonObject t || t["task"]?.GetValue<string>() is not { } task || !queue.ContainsKey(task)) continue;
            (r.Task, r.Log) = (task, t["log"]?.GetValue<string>());
            attached++;
        }
        foreach (var job in open.Where(r => r.Task is not null).Select(r => r.Task!.Split('_')[0]).Distinct()) _jobs.Add(job);
        _tracked.AddRange(open.Where(r => r.Task is not null));
        return attached;
    }

    /// <summary>slurm/jobs.json: the jobs submitted, and each run's latest task and log (for a later run of the study to take over).</summary>
    private void SaveJobs(StudyFolder folder)
    {
        var tasks = new JsonObject();
        foreach (var r in _tracked.Where(r => r.Task is not null)) tasks[r.Run.Label] = new JsonObject { ["task"] = r.Task, ["log"] = r.Log };
        AtomicFile.WriteAllText(JobsFile(folder),
            new JsonObject { ["jobs"] = new JsonArray([.. _jobs.Select(j => (JsonNode?)j)]), ["tasks"] = tasks }.ToJsonString(Json.Options));
    }

    public static string JobsFile(StudyFolder folder) => Path.Combine(folder.SlurmDir, "jobs.json");

    private static string Bar(int done, int total)
    {
        const int width = 20;
        int filled = total == 0 ? width : done * width / total;
        return "[" + new string('#', filled) + new string('-', width - filled) + "]";
    }

    private sealed class Tracked(PlannedRun run)
    {
        public PlannedRun Run { get; } = run;
        public Tracked? Upstream { get; set; }
        public string? Task { get; set; }
        public string? Log { get; set; }
        public int Failures { get; set; }
        public bool Done { get; set; }
        public DateTime? GoneSince { get; set; }
    }
}
