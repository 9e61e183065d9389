// A run killed with SIGKILL mid-epoch and resumed ends with the same final
// metrics as an uninterrupted run.
using System.Diagnostics;
using SparseLab.Reporting;

namespace SparseLab.Tests.Cli;

[Trait("Category", "Slow")]
public sealed class KillAndResumeTests
{
    private static readonly string[] Args =
        ["train", "--dataset", "synthetic", "--model", "mlp", "--epochs", "3", "--batch-size", "64",
         "--limit-train", "1024", "--limit-test", "256", "--threads", "1", "--seed", "11"];

    [Theory]
    [InlineData("")]
    [InlineData("--sparsity 0.5 --curriculum loss --curriculum-reference self:1")]   // the re-scored order survives the kill
    public void Given_a_run_killed_mid_epoch_When_resumed_Then_final_metrics_equal_an_uninterrupted_run(string extra)
    {
        string[] Args = [.. KillAndResumeTests.Args, .. extra.Split(' ', StringSplitOptions.RemoveEmptyEntries)];
        using var dir = new TempDir();
        string killed = dir.Combine("killed"), clean = dir.Combine("clean");

        // 16 steps per epoch: the run pauses after step 21, 5 steps into epoch 2 (epoch 1 checkpointed), and is killed there.
        using (var p = StartCli([.. Args, "--out", killed], pauseAt: "21"))
        {
            Assert.True(p.Paused.Wait(TimeSpan.FromSeconds(120)), "the run never reached step 21");
            Assert.Contains("\"epoch\":1", File.ReadAllText(Path.Combine(killed, "metrics.jsonl")));
            p.Process.Kill(entireProcessTree: true);                             // SIGKILL
            p.Process.WaitForExit();
        }
        Assert.False(File.Exists(Path.Combine(killed, "summary.json")));

        var resumed = CliRunner.Run([.. Args, "--out", killed, "--resume"]);
        Assert.True(resumed.ExitCode == 0, resumed.Err);
        var uninterrupted = CliRunner.Run([.. Args, "--out", clean]);
        Assert.True(uninterrupted.ExitCode == 0, uninterrupted.Err);

        var a = new SparseLab.Training.RunFolder(killed).ReadSummary();
        var b = new SparseLab.Training.RunFolder(clean).ReadSummary();
        Assert.Equal(b.TestLoss, a.TestLoss);
        Assert.Equal(b.TrainLoss, a.TrainLoss);
        Assert.Equal(b.Steps, a.Steps);
        // The resumed log reads like the clean one: one line per epoch.
        Assert.Equal(3, MetricsLog.Read(Path.Combine(killed, "metrics.jsonl")).Count(e => (string?)e["event"] == "epoch"));
    }

    /// <summary>The CLI in its own process, paused at a step (PausePoint); <see cref="PausedCli.Paused"/> is set when it says so.</summary>
    internal static PausedCli StartCli(string[] args, string pauseAt)
    {
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "SparseLab.Cli.dll"));
        foreach (var a in args) info.ArgumentList.Add(a);
        info.Environment[SparseLab.Training.PausePoint.Variable] = pauseAt;
        var paused = new ManualResetEventSlim();
        var p = Process.Start(info)!;
        p.OutputDataReceived += (_, _) => { };
        p.ErrorDataReceived += (_, e) => { if (e.Data?.StartsWith("paused at step", StringComparison.Ordinal) == true) paused.Set(); };
        p.BeginOutputReadLine();
        p.BeginErrorReadLine();
        return new PausedCli(p, paused);
    }
}

internal sealed record PausedCli(Process Process, ManualResetEventSlim Paused) : IDisposable
{
    public void Dispose()
    {
        if (!Process.HasExited) Process.Kill(entireProcessTree: true);
        Process.Dispose();
        Paused.Dispose();
    }
}
