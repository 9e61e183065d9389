// The diffusion task end to end through the CLI, on the synthetic images (no
// download): a U-Net trains, resumes to the same numbers, writes a sample
// grid; its numbers are losses (no accuracy); and every option that does not
// fit a task is refused by name with nothing written.
using SparseLab.Training;

namespace SparseLab.Tests.Diffusion;

public sealed class DiffusionTaskTests
{
    private static readonly string[] Tiny =
        ["train", "--model", "unet", "--dataset", "synthetic", "--width", "0.25", "--limit-train", "96", "--limit-test", "64",
         "--batch-size", "32", "--epochs", "2", "--fid-images", "0", "--threads", "2"];

    private static void Refused(string[] args, string expected, string outDir)
    {
        var r = Cli.CliRunner.Run(args);
        Assert.NotEqual(0, r.ExitCode);
        var line = Assert.Single(r.Err.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("error:", line);
        Assert.Contains(expected, line);
        Assert.False(Directory.Exists(outDir) || File.Exists(outDir), $"{outDir} was written");
    }

    [Fact]
    public void GivenAUNet_WhenItTrains_ThenItsNumbersAreDenoisingLossesAndARerunGivesTheSame()
    {
        using var dir = new TempDir();
        string a = dir.Combine("a"), b = dir.Combine("b");
        var r = Cli.CliRunner.Run([.. Tiny, "--out", a]);
        Assert.True(r.ExitCode == 0, r.Err);
        Assert.Contains("test_loss (denoising)", r.Out);
        var summary = new RunFolder(a).ReadSummary();
        Assert.True(double.IsNaN(summary.TestAccuracy));
        Assert.InRange(summary.TestLoss, 0.01, 2.0);                 // ε ~ N(0, I): predicting 0 scores 1
        Assert.Equal(6, summary.Steps);                              // 96 / 32 × 2 epochs
        Assert.True(Cli.CliRunner.Run([.. Tiny, "--out", b]).ExitCode == 0);
        Assert.Equal(summary.TestLoss, new RunFolder(b).ReadSummary().TestLoss);   // same seed, same numbers

        string grid = dir.Combine("grid.png");
        var g = Cli.CliRunner.Run("generate", "--run", a, "--images", "4", "--sample-steps", "3", "--out", grid);
        Assert.True(g.ExitCode == 0, g.Err);
        using var png = SkiaSharp.SKBitmap.Decode(grid);
        Assert.Equal(2 * 28 + 2, png.Width);                         // 2 × 2 images with a 2-pixel gap
        foreach (var criterion in new[] { "magnitude", "sparsegpt" })   // one-shot pruning of its convolutions, calibrated on noised images
        {
            string pruned = dir.Combine(criterion);
            string[] calibration = criterion == "magnitude" ? [] : ["--calibration-examples", "32"];
            var o = Cli.CliRunner.Run(["oneshot", "--run", a, "--criterion", criterion, "--sparsity", "0.5", .. calibration, "--out", pruned]);
            Assert.True(o.ExitCode == 0, o.Err);
            Assert.Contains("test denoising loss", o.Out);
            var summary2 = SparseLab.Foundations.Json.Deserialize<SparseLab.Sparsity.OneShotSummary>(File.ReadAllText(Path.Combine(pruned, "summary.json")));
            Assert.InRange(summary2.Sparsity, 0.49, 0.51);
        }
        Refused(["generate", "--run", a, "--prompt", "x", "--out", dir.Combine("x.png")], "--prompt", dir.Combine("x.png"));
        Refused(["generate", "--run", a, "--sample-steps", "0", "--out", dir.Combine("y.png")], "--sample-steps", dir.Combine("y.png"));
        Refused(["generate", "--run", a, "--images", "0", "--out", dir.Combine("z.png")], "--images", dir.Combine("z.png"));
        Refused(["generate", "--run", a, "--images", "10", "--score", "--out", dir.Combine("s.png")], "singular", dir.Combine("s.png"));
        Refused(["generate", "--run", a, "--images", "100", "--score", "--out", dir.Combine("s.png")], "test images", dir.Combine("s.png"));
        Refused(["generate", "--run", a], "--out", dir.Combine("none"));
    }

    [Fact]
    public void GivenOptionsThatDoNotFitTheTask_ThenEachIsRefusedByName()
    {
        using var dir = new TempDir();
        string run = dir.Combine("run");
        Refused([.. Tiny, "--sample-steps", "0", "--out", run], "--sample-steps", run);
        Refused([.. Tiny, "--sample-steps", "1001", "--out", run], "--sample-steps", run);
        Refused([.. Cli.CliRunner.Override(Tiny, "--fid-images", "50"), "--out", run], "singular", run);
        Refused([.. Cli.CliRunner.Override(Tiny, "--fid-images", "100"), "--out", run], "test images", run);   // 64 test images: refused before training
        Refused([.. Tiny, "--beta-end", "1.5", "--out", run], "--beta-end", run);
        Refused([.. Tiny, "--noise-schedule", "cosine", "--beta-start", "0.001", "--out", run], "--beta-start", run);
        Refused([.. Tiny, "--label-noise", "0.1", "--out", run], "--label-noise", run);
        Refused([.. Tiny, "--sparsity", "0.5", "--criterion", "snip", "--out", run], "--criterion", run);
        Refused([.. Tiny, "--fisher-every", "1ep", "--out", run], "--fisher-every", run);
        Refused(["train", "--model", "unet", "--dataset", "fortunes", "--out", run], "text", run);
        Refused(["train", "--model", "lenet5", "--dataset", "synthetic", "--noise-schedule", "cosine", "--out", run], "--task diffusion", run);
        Refused(["train", "--model", "lenet5", "--dataset", "synthetic", "--task", "diffusion", "--out", run], "does not denoise", run);
        Refused(["train", "--model", "unet", "--dataset", "synthetic", "--task", "classification", "--out", run], "not an image classifier", run);
    }
}
