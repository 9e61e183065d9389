// Studies through a real Slurm cluster (a one-node one in CI): the same
// study.json as the local executor, a task cancelled mid-way resubmitted and
// resumed, --no-wait and `study collect`, finished runs never submitted again,
// and an unknown partition refused before anything is submitted.
using System.Diagnostics;
using System.Text.Json.Nodes;
using SparseLab.Tests.Cli;

namespace SparseLab.Tests.Studies.Execution;

[Trait("Category", "Slow")]
public sealed class SlurmStudyTests
{
    /// <summary>The done-when study: one sparsity, 2 seeds, 1 epoch on 2,000 examples; 8 runs (dense, finetune, scratch, lottery).</summary>
    private static string[] Args(string outDir, int epochs = 1, int seeds = 2) =>
        ["study", "gap", "--dataset", "synthetic", "--model", "mlp", "--sparsities", "0.9", "--seeds", seeds.ToString(), "--epochs", epochs.ToString(),
         "--limit-train", "2000", "--limit-test", "256", "--batch-size", "128", "--threads", "1", "--no-fisher", "--no-curvature",
         "--points", "3", "--path-train", "256", "--path-test", "128", "--out", outDir];

    private static readonly string[] Slurm = ["--executor", "slurm", "--slurm-poll", "0.5", "--slurm-cpus", "1"];

    [SlurmFact]
    public void Given_a_tiny_gap_study_When_run_through_Slurm_Then_study_json_equals_the_local_executors_and_a_rerun_submits_nothing()
    {
        SlurmCluster.Require();
        using var dir = new TempDir();
        var local = CliRunner.Run(Args(dir.Combine("local")));
        Assert.True(local.ExitCode == 0, local.Err);

        var slurm = CliRunner.Run([.. Args(dir.Combine("slurm")), .. Slurm]);
        Assert.True(slurm.ExitCode == 0, slurm.Err + slurm.Out);
        Assert.Contains("8/8 runs finished", slurm.Out);
        Assert.DoesNotContain("resubmitting", slurm.Out);                                // no task was taken for failed
        Assert.Equal(StudyComparison.Numbers(dir.Combine("local")), StudyComparison.Numbers(dir.Combine("slurm")));
        Assert.True(File.Exists(dir.Combine("slurm", "report.md")));
        Assert.Equal(8, Directory.GetFiles(dir.Combine("slurm", "configs"), "*.json").Length);   // every run's resolved config
        Assert.NotEmpty(Directory.GetFiles(dir.Combine("slurm", "slurm"), "*-dense-*_0.log"));   // job logs in the study folder

        var again = CliRunner.Run([.. Args(dir.Combine("slurm")), .. Slurm]);
        Assert.True(again.ExitCode == 0, again.Err);
        Assert.Contains("all 8 runs have finished; nothing to submit", again.Out);
    }

    [SlurmFact]
    public void Given_a_dense_task_cancelled_mid_way_When_the_study_waits_Then_it_is_resubmitted_resumes_and_study_json_is_complete_and_identical()
    {
        SlurmCluster.Require();
        using var dir = new TempDir();
        var local = CliRunner.Run(Args(dir.Combine("local"), epochs: 2));
        Assert.True(local.ExitCode == 0, local.Err);

        string outDir = dir.Combine("slurm");
        Environment.SetEnvironmentVariable(SparseLab.Training.PausePoint.Variable, "20:dense-seed1-");   // the tasks inherit it: the first attempt stops in epoch 2
        CliResult? result;
        try
        {
            var study = Task.Run(() => CliRunner.Run([.. Args(outDir, epochs: 2), .. Slurm]));
            string? cancelled = null;
            var deadline = DateTime.UtcNow.AddMinutes(3);
            while (cancelled is null)
            {
                Assert.False(study.IsCompleted, "the study ended before a task could be cancelled: " + (study.IsCompleted ? study.Result.Err + study.Result.Out : ""));
                Assert.True(DateTime.UtcNow < deadline, "the dense run of seed 1 never got half way");
                string runs = Path.Combine(outDir, "runs");
                var dense = Directory.Exists(runs) ? Directory.GetDirectories(runs, "dense-seed1-*").FirstOrDefault() : null;
                if (dense is not null && File.Exists(Path.Combine(dense, "checkpoints", "last.ckpt")) && !File.Exists(Path.Combine(dense, "summary.json")))
                {
                    string task = DenseTaskOfSeed1(outDir);
                    Scancel(task);
                    cancelled = task;
                }
                Thread.Sleep(50);
            }
            Assert.True(study.Wait(TimeSpan.FromMinutes(5)), "the study did not finish after the cancel");
            result = study.Result;
        }
        finally
        {
            Environment.SetEnvironmentVariable(SparseLab.Training.PausePoint.Variable, null);
        }
        Assert.True(result.ExitCode == 0, result.Err + result.Out);
        Assert.Contains("dense-seed1: task", result.Out);
        Assert.Contains("resubmitting it", result.Out);
        var log = File.ReadAllText(Directory.GetFiles(Path.Combine(outDir, "slurm"), "*-retry1-dense-seed1-*_0.log").Single());
        Assert.Contains("resuming at step", log);                                        // from its last checkpoint, not from scratch
        Assert.Equal(StudyComparison.Numbers(dir.Combine("local")), StudyComparison.Numbers(outDir));
    }

    [SlurmFact]
    public void Given_no_wait_Then_the_job_ids_are_printed_a_rerun_waits_on_the_queued_tasks_and_study_collect_writes_the_same_study()
    {
        SlurmCluster.Require();
        using var dir = new TempDir();
        var local = CliRunner.Run(Args(dir.Combine("local"), seeds: 1));
        Assert.True(local.ExitCode == 0, local.Err);

        string outDir = dir.Combine("slurm");
        var early = CliRunner.Run(["study", "collect", outDir]);
        Assert.Equal(2, early.ExitCode);                                                 // nothing submitted yet: no study to collect
        Assert.StartsWith("error: --dir", early.Err);

        var submitted = CliRunner.Run([.. Args(outDir, seeds: 1), .. Slurm, "--no-wait"]);
        Assert.True(submitted.ExitCode == 0, submitted.Err);
        Assert.Contains("study collect", submitted.Out);
        Assert.False(File.Exists(Path.Combine(outDir, "study.json")));
        var jobs = JsonNode.Parse(File.ReadAllText(Path.Combine(outDir, "slurm", "jobs.json")))!["jobs"]!.AsArray().Select(j => (string)j!).ToList();
        Assert.Equal(2, jobs.Count);                                                     // the dense array and seed 1's array behind it

        var tooEarly = CliRunner.Run(["study", "collect", outDir]);                      // the tasks take seconds to start
        Assert.Equal(1, tooEarly.ExitCode);
        Assert.StartsWith("error: 4 of the study's 4 runs have not finished", tooEarly.Err);

        var waited = CliRunner.Run([.. Args(outDir, seeds: 1), .. Slurm]);               // takes over the queued tasks, submits nothing
        Assert.True(waited.ExitCode == 0, waited.Err + waited.Out);
        Assert.Contains("4 runs are still queued from an earlier submission", waited.Out);
        Assert.DoesNotContain("submitted", waited.Out);
        Assert.Equal(StudyComparison.Numbers(dir.Combine("local")), StudyComparison.Numbers(outDir));

        File.Delete(Path.Combine(outDir, "study.json"));
        var collected = CliRunner.Run(["study", "collect", outDir]);
        Assert.True(collected.ExitCode == 0, collected.Err);
        Assert.Equal(StudyComparison.Numbers(dir.Combine("local")), StudyComparison.Numbers(outDir));
    }

    [SlurmFact]
    public void Given_runs_that_keep_failing_Then_the_study_stops_naming_the_run_with_the_end_of_its_log_and_writes_no_report()
    {
        SlurmCluster.Require();
        using var dir = new TempDir();
        string launcher = dir.Combine("broken-launcher");
        File.WriteAllText(launcher, "#!/bin/sh\necho \"boom: this launcher always fails ($*)\"\nexit 3\n");
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(launcher, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        string outDir = dir.Combine("gap");
        Environment.SetEnvironmentVariable("SPARSELAB_LAUNCHER", launcher);
        CliResult r;
        try
        {
            r = CliRunner.Run([.. Args(outDir, seeds: 1), .. Slurm, "--slurm-retries", "1"]);
        }
        finally
        {
            Environment.SetEnvironmentVariable("SPARSELAB_LAUNCHER", null);
        }
        Assert.Equal(1, r.ExitCode);
        Assert.StartsWith("error: the run dense-seed1 failed 2 times", r.Err);
        Assert.Contains("boom: this launcher always fails", r.Err);
        Assert.Contains("resubmitting it (attempt 2 of 2)", r.Out);
        Assert.False(File.Exists(Path.Combine(outDir, "study.json")));
        var jobs = JsonNode.Parse(File.ReadAllText(Path.Combine(outDir, "slurm", "jobs.json")))!["jobs"]!.AsArray().Select(j => (string)j!).ToHashSet();
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (Queue().Any(t => jobs.Contains(t.Split('_')[0])))                         // the runs that waited on it are cancelled
        {
            Assert.True(DateTime.UtcNow < deadline, "the study left jobs in the queue");
            Thread.Sleep(200);
        }
    }

    private static string[] Imp(string outDir, int epochs = 1) =>
        ["imp", "--dataset", "synthetic", "--model", "mlp", "--epochs", epochs.ToString(), "--limit-train", "2000", "--limit-test", "256", "--batch-size", "128",
         "--threads", "1", "--targets", "0.75", "--prune-rate", "0.5", "--rewind", "5it", "--out", outDir];

    private static string ImpLevels(string d)
    {
        var levels = JsonNode.Parse(File.ReadAllText(Path.Combine(d, "imp.json")))!["levels"]!.AsArray();
        foreach (var l in levels) l!.AsObject().Remove("run");
        return levels.ToJsonString();
    }

    [SlurmFact]
    public void Given_imp_through_Slurm_Then_its_levels_are_a_chain_of_jobs_and_imp_json_equals_the_local_one()
    {
        SlurmCluster.Require();
        using var dir = new TempDir();
        var local = CliRunner.Run(Imp(dir.Combine("local")));
        Assert.True(local.ExitCode == 0, local.Err);
        var slurm = CliRunner.Run([.. Imp(dir.Combine("slurm")), .. Slurm]);
        Assert.True(slurm.ExitCode == 0, slurm.Err + slurm.Out);
        Assert.Contains("3/3 runs finished", slurm.Out);
        Assert.DoesNotContain("resubmitting", slurm.Out);
        Assert.Equal(3, JsonNode.Parse(File.ReadAllText(dir.Combine("slurm", "slurm", "jobs.json")))!["jobs"]!.AsArray().Count);   // one job per level
        Assert.Equal(ImpLevels(dir.Combine("local")), ImpLevels(dir.Combine("slurm")));
    }

    [SlurmFact]
    public void Given_imp_level_0_cancelled_mid_way_Then_the_whole_chain_behind_it_is_queued_again_and_imp_json_is_unchanged()
    {
        SlurmCluster.Require();
        using var dir = new TempDir();
        var local = CliRunner.Run(Imp(dir.Combine("local"), epochs: 2));
        Assert.True(local.ExitCode == 0, local.Err);
        string outDir = dir.Combine("slurm");
        Environment.SetEnvironmentVariable(SparseLab.Training.PausePoint.Variable, "20:level-00");   // the first attempt stops in epoch 2
        CliResult result;
        try
        {
            var imp = Task.Run(() => CliRunner.Run([.. Imp(outDir, epochs: 2), .. Slurm]));
            var deadline = DateTime.UtcNow.AddMinutes(3);
            string level0 = Path.Combine(outDir, "level-00");
            while (!(File.Exists(Path.Combine(level0, "checkpoints", "last.ckpt")) && !File.Exists(Path.Combine(level0, "summary.json"))))
            {
                Assert.False(imp.IsCompleted, "imp ended before level 0 could be cancelled: " + (imp.IsCompleted ? imp.Result.Err + imp.Result.Out : ""));
                Assert.True(DateTime.UtcNow < deadline, "level 0 never got half way");
                Thread.Sleep(50);
            }
            Scancel(DenseTaskOfSeed1(outDir));                                           // the first job: level 0
            Assert.True(imp.Wait(TimeSpan.FromMinutes(5)), "imp did not finish after the cancel");
            result = imp.Result;
        }
        finally
        {
            Environment.SetEnvironmentVariable(SparseLab.Training.PausePoint.Variable, null);
        }
        Assert.True(result.ExitCode == 0, result.Err + result.Out);
        Assert.Contains("level-00: task", result.Out);
        Assert.Single(Directory.GetFiles(Path.Combine(outDir, "slurm"), "*-level-02-after-retry1.sh"));   // level 2 was queued again behind level 1's new task
        Assert.Equal(ImpLevels(dir.Combine("local")), ImpLevels(outDir));
    }

    [SlurmFact]
    public void Given_a_curriculum_study_whose_arms_share_a_warm_up_When_run_through_Slurm_Then_study_json_equals_the_local_one()
    {
        SlurmCluster.Require();
        using var dir = new TempDir();
        string[] Curriculum(string outDir) =>
            ["study", "curriculum", "--dataset", "synthetic", "--model", "mlp", "--sparsities", "0.9", "--seeds", "1", "--epochs", "1",
             "--limit-train", "2000", "--limit-test", "256", "--batch-size", "128", "--threads", "1", "--no-fisher", "--no-curvature",
             "--methods", "finetune,scratch,curriculum,anti-curriculum,random-pacing", "--curriculum-reference", "warmup:1",
             "--out", outDir];
        var local = CliRunner.Run(Curriculum(dir.Combine("local")));
        Assert.True(local.ExitCode == 0, local.Err);
        var slurm = CliRunner.Run([.. Curriculum(dir.Combine("slurm")), .. Slurm]);
        Assert.True(slurm.ExitCode == 0, slurm.Err + slurm.Out);
        Assert.Contains("6/6 runs finished", slurm.Out);
        Assert.DoesNotContain("resubmitting", slurm.Out);
        Assert.Equal(StudyComparison.Numbers(dir.Combine("local")), StudyComparison.Numbers(dir.Combine("slurm")));
    }

    [SlurmFact]
    public void Given_a_partition_that_does_not_exist_Then_one_error_line_and_nothing_is_written()
    {
        SlurmCluster.Require();
        using var dir = new TempDir();
        var r = CliRunner.Run([.. Args(dir.Combine("gap")), .. Slurm, "--slurm-partition", "no-such-partition"]);
        Assert.Equal(2, r.ExitCode);
        Assert.StartsWith("error: --slurm-partition 'no-such-partition' is not a partition of this cluster", r.Err);
        Assert.False(Directory.Exists(dir.Combine("gap")));
    }

    /// <summary>The array task of the first dense array's first run (dense-seed1): the study submits the dense runs in seed order.</summary>
    private static string DenseTaskOfSeed1(string outDir)
    {
        var jobs = JsonNode.Parse(File.ReadAllText(Path.Combine(outDir, "slurm", "jobs.json")))!["jobs"]!.AsArray();
        return $"{(string)jobs[0]!}_0";
    }

    private static IReadOnlyList<string> Queue() => Slurmctl("squeue", "-h", "-r", "-o", "%i").Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    private static void Scancel(string task) => Slurmctl("scancel", task);

    private static string Slurmctl(string command, params string[] args)
    {
        var info = new ProcessStartInfo(command) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in args) info.ArgumentList.Add(a);
        using var p = Process.Start(info)!;
        string output = p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        Assert.True(p.ExitCode == 0, $"{command} failed: {p.StandardError.ReadToEnd()}");
        return output;
    }
}
