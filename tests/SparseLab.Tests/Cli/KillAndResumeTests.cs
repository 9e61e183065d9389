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

        // 16 steps per epoch, 40 ms each: kill once epoch 1 is checkpointed and epoch 2 is under way.
        using (var p = StartCli([.. Args, "--out", killed], stepDelayMs: 40))
        {
            string metrics = Path.Combine(killed, "metrics.jsonl");
            var deadline = DateTime.UtcNow.AddSeconds(120);
            while (!(File.Exists(Path.Combine(killed, "checkpoints", "last.ckpt")) && File.Exists(metrics)
                     && File.ReadAllText(metrics).Contains("\"epoch\":1")))
            {
                Assert.False(p.HasExited, "the run ended before it could be killed");
                Assert.True(DateTime.UtcNow < deadline, "the first epoch never finished");
                Thread.Sleep(20);
            }
            Thread.Sleep(200);                                                   // about 5 steps into epoch 2
            p.Kill(entireProcessTree: true);                                     // SIGKILL
            p.WaitForExit();
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

    private static Process StartCli(string[] args, int stepDelayMs)
    {
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "SparseLab.Cli.dll"));
        foreach (var a in args) info.ArgumentList.Add(a);
        info.Environment["SPARSELAB_STEP_DELAY_MS"] = stepDelayMs.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var p = Process.Start(info)!;
        p.OutputDataReceived += (_, _) => { };
        p.ErrorDataReceived += (_, _) => { };
        p.BeginOutputReadLine();
        p.BeginErrorReadLine();
        return p;
    }
}
