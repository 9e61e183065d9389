// --executor and the Slurm options refuse bad input with one error line before
// anything is written or submitted: --slurm-parallel 0, Slurm options without
// --executor slurm, no sbatch on PATH, a method that cannot run on a
// scheduler, and a study folder the nodes cannot see (a fake cluster whose
// probe job never reads the marker).
using SparseLab.Tests.Cli;

namespace SparseLab.Tests.Studies.Execution;

public sealed class ExecutorBadInputTests
{
    private static string[] Args(string outDir) =>
        ["study", "gap", "--dataset", "synthetic", "--model", "mlp", "--sparsities", "0.9", "--seeds", "1", "--epochs", "1",
         "--limit-train", "256", "--limit-test", "64", "--batch-size", "64", "--threads", "1", "--no-fisher", "--no-curvature", "--points", "0", "--out", outDir];

    [Theory]
    [InlineData("--slurm-parallel 0", "error: --slurm-parallel must be at least 1, got 0")]
    [InlineData("--slurm-retries -1", "error: --slurm-retries must be 0 or more, got -1")]
    [InlineData("--slurm-poll 0", "error: --slurm-poll must be in (0, 3600] seconds")]
    [InlineData("--executor pbs", "error: --executor")]
    public void Given_a_bad_slurm_option_Then_exit_2_with_one_error_line_and_no_folder(string options, string error)
    {
        using var dir = new TempDir();
        var r = CliRunner.Run([.. Args(dir.Combine("gap")), "--executor", "slurm", .. options.Split(' ')]);
        Assert.Equal(2, r.ExitCode);
        Assert.StartsWith(error, r.Err);
        Assert.Single(r.Err.Trim().Split('\n'));
        Assert.False(Directory.Exists(dir.Combine("gap")));
    }

    [Fact]
    public void Given_slurm_options_without_executor_slurm_Then_they_are_refused_not_ignored()
    {
        using var dir = new TempDir();
        var r = CliRunner.Run([.. Args(dir.Combine("gap")), "--slurm-partition", "gpu", "--no-wait"]);
        Assert.Equal(2, r.ExitCode);
        Assert.StartsWith("error: --slurm-partition, --no-wait only apply to --executor slurm", r.Err);
        Assert.False(Directory.Exists(dir.Combine("gap")));
    }

    [Fact]
    public void Given_a_sweep_with_no_wait_Then_it_is_refused_since_its_cells_share_runs()
    {
        using var dir = new TempDir();
        var r = CliRunner.Run(["study", "sweep", "--dataset", "synthetic", "--model", "mlp", "--sparsities", "0.9", "--seeds", "1", "--epochs", "1",
            "--inits", "kaiming-normal", "--references", "init", "--executor", "slurm", "--no-wait", "--out", dir.Combine("sweep")]);
        Assert.Equal(2, r.ExitCode);
        Assert.StartsWith("error: --no-wait does not apply to a sweep", r.Err);
        Assert.False(Directory.Exists(dir.Combine("sweep")));
    }

    [Fact]
    public void Given_no_sbatch_on_PATH_Then_executor_slurm_is_refused_before_anything_is_written()
    {
        using var dir = new TempDir();
        using var path = new PathOverride(dir.Combine("empty"));
        var r = CliRunner.Run([.. Args(dir.Combine("gap")), "--executor", "slurm"]);
        Assert.Equal(2, r.ExitCode);
        Assert.StartsWith("error: --executor slurm needs sbatch, which is not on PATH", r.Err);
        Assert.False(Directory.Exists(dir.Combine("gap")));
    }

    [Fact]
    public void Given_a_method_that_cannot_run_on_a_scheduler_Then_executor_slurm_refuses_it()
    {
        using var dir = new TempDir();
        var r = CliRunner.Run([.. CliRunner.Override(Args(dir.Combine("gap")), "--methods", "finetune,scratch,imp"), "--executor", "slurm"]);
        Assert.Equal(2, r.ExitCode);
        Assert.StartsWith("error: --methods imp cannot run on a scheduler yet", r.Err);
        Assert.False(Directory.Exists(dir.Combine("gap")));
    }

    [Fact]
    public void Given_a_study_folder_the_nodes_do_not_see_Then_the_probe_job_fails_and_no_run_is_submitted()
    {
        using var dir = new TempDir();
        string bin = dir.Combine("fake-slurm");
        FakeSlurm.Write(bin, dir.Combine("submitted.txt"));
        using var path = new PathOverride(bin + Path.PathSeparator + Environment.GetEnvironmentVariable("PATH"));
        var r = CliRunner.Run([.. Args(dir.Combine("gap")), "--executor", "slurm", "--slurm-poll", "0.1"]);
        Assert.Equal(1, r.ExitCode);
        Assert.StartsWith($"error: the study folder {dir.Combine("gap")} is not on a filesystem the Slurm nodes share", r.Err);
        var submitted = File.ReadAllLines(dir.Combine("submitted.txt"));
        Assert.Single(submitted);                                                        // the probe, and nothing else
        Assert.Contains("--job-name=sparselab-probe", submitted[0]);
        Assert.False(File.Exists(dir.Combine("gap", "slurm", "jobs.json")));
    }
}

/// <summary>Sets PATH for one test (the tests run one at a time) and puts it back.</summary>
internal sealed class PathOverride : IDisposable
{
    private readonly string? _saved = Environment.GetEnvironmentVariable("PATH");
    public PathOverride(string path)
    {
        Directory.CreateDirectory(path.Split(Path.PathSeparator)[0]);
        Environment.SetEnvironmentVariable("PATH", path);
    }
    public void Dispose() => Environment.SetEnvironmentVariable("PATH", _saved);
}

/// <summary>sinfo, sbatch and squeue that answer like a cluster whose jobs never run: sbatch records its arguments, squeue lists nothing.</summary>
internal static class FakeSlurm
{
    public static void Write(string bin, string record)
    {
        Directory.CreateDirectory(bin);
        Script(Path.Combine(bin, "sinfo"), "echo 'local*'");
        Script(Path.Combine(bin, "sbatch"), $"echo \"$*\" >> '{record}'\necho 4242");
        Script(Path.Combine(bin, "squeue"), "exit 0");
    }

    private static void Script(string file, string body)
    {
        File.WriteAllText(file, "#!/bin/sh\n" + body + "\n");
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(file, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
    }
}
