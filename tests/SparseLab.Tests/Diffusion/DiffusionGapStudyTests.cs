// `study gap` on the diffusion task runs unchanged: dense → mask of Sol-D →
// finetune vs scratch vs lottery with the same mask, and the report reads its
// verdict from the denoising loss.
using SparseLab.Studies;

namespace SparseLab.Tests.Diffusion;

[Trait("Category", "Slow")]
public sealed class DiffusionGapStudyTests
{
    [Fact]
    public void GivenAUNet_WhenAGapStudyRuns_ThenItsReportJudgesTheDenoisingLoss()
    {
        using var dir = new TempDir();
        string study = dir.Combine("study");
        var r = Cli.CliRunner.Run("study", "gap", "--model", "unet", "--dataset", "synthetic", "--width", "0.25", "--limit-train", "64",
            "--limit-test", "64", "--batch-size", "32", "--epochs", "1", "--sparsities", "0.5", "--seeds", "1", "--fid-images", "0",
            "--threads", "2", "--out", study);
        Assert.True(r.ExitCode == 0, r.Err);
        var result = SparseLab.Foundations.Json.Deserialize<GapStudyResult>(File.ReadAllText(Path.Combine(study, "study.json")));
        Assert.True(result.IsDiffusion);
        Assert.Contains(result.Cells, c => c.Method == "scratch");
        Assert.All(result.Rows, row => Assert.True(double.IsNaN(row.TestAccuracy)));
        string report = File.ReadAllText(Path.Combine(study, "report.md"));
        Assert.Contains("sparse denoiser trained from scratch", report);
        Assert.DoesNotContain("next-byte", report);
    }
}
