// Bad schedule and IMP options: one `error:` line, exit code 2, before any work.
using SparseLab.Tests.Cli;

namespace SparseLab.Tests.Schedules;

public sealed class ScheduleBadInputTests
{
    private static readonly string[] Tiny = ["--dataset", "synthetic", "--model", "mlp", "--threads", "1", "--limit-train", "256", "--limit-test", "64", "--batch-size", "64", "--epochs", "2"];

    private static void AssertRefused(CliResult r, string mentions, string outDir)
    {
        Assert.Equal(2, r.ExitCode);
        var lines = r.Err.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Single(lines);
        Assert.StartsWith("error: ", lines[0]);
        Assert.Contains(mentions, lines[0]);
        Assert.False(Directory.Exists(outDir) && Directory.EnumerateFileSystemEntries(outDir).Any(), "work was done before the error");
    }

    [Theory]
    [InlineData("--drop-fraction", "1.5", "--drop-fraction")]
    [InlineData("--drop-fraction", "0", "--drop-fraction")]
    [InlineData("--update-every", "0", "--update-every")]
    [InlineData("--update-end", "100", "beyond the end of training")]          // 8 steps in all
    [InlineData("--update-every", "50", "leaves no mask update")]
    [InlineData("--schedule", "magic", "--schedule 'magic'")]
    [InlineData("--layer-sparsity", "fc1.weight=0.5", "--layer-sparsity does not combine")]
    [InlineData("--mask-from", "nowhere.safetensors", "both choose the mask")]
    public void Given_a_bad_schedule_option_When_training_Then_it_is_refused_before_any_work(string option, string value, string mentions)
    {
        using var dir = new TempDir();
        string outDir = dir.Combine("run");
        AssertRefused(CliRunner.Run(["train", .. Tiny, "--sparsity", "0.9", "--schedule", option == "--schedule" ? value : "rigl", .. option == "--schedule" ? Array.Empty<string>() : [option, value], "--out", outDir]), mentions, outDir);
    }

    [Fact]
    public void Given_a_schedule_without_a_target_sparsity_Then_it_is_refused()
    {
        using var dir = new TempDir();
        AssertRefused(CliRunner.Run(["train", .. Tiny, "--schedule", "set", "--out", dir.Combine("run")]), "needs a target --sparsity", dir.Combine("run"));
    }

    [Theory]
    [InlineData(new[] { "--levels", "3", "--targets", "0.9" }, "--levels 11 or more")]
    [InlineData(new[] { "--levels", "2", "--rewind", "100it" }, "past the end of training")]
    [InlineData(new[] { "--levels", "2", "--rewind", "3ep" }, "past the end of training")]
    [InlineData(new[] { "--levels", "2", "--rewind", "5x" }, "--rewind '5x' is not a duration")]
    [InlineData(new[] { "--levels", "2", "--prune-rate", "1" }, "--prune-rate")]
    [InlineData(new[] { "--prune-rate", "0.2" }, "needs --levels or --targets")]
    public void Given_bad_imp_options_Then_they_are_refused_before_any_work(string[] options, string mentions)
    {
        using var dir = new TempDir();
        string outDir = dir.Combine("imp");
        AssertRefused(CliRunner.Run(["imp", .. Tiny, .. options, "--out", outDir]), mentions, outDir);
    }

    [Theory]
    [InlineData(new[] { "--methods", "finetune,scratch,rigl", "--update-end", "1000" }, "beyond the end of training")]
    [InlineData(new[] { "--methods", "finetune,scratch,imp", "--rewind", "9ep" }, "past the end of training")]
    [InlineData(new[] { "--methods", "finetune,scratch,imp", "--prune-rate", "1.5" }, "--prune-rate the fraction")]
    [InlineData(new[] { "--methods", "finetune,scratch", "--schedule", "gmp" }, "list the schedules in --methods")]
    public void Given_bad_schedule_options_in_a_study_Then_they_are_refused_before_the_folder_is_claimed(string[] options, string mentions)
    {
        using var dir = new TempDir();
        string outDir = dir.Combine("gap");
        AssertRefused(CliRunner.Run(["study", "gap", .. Tiny, "--sparsities", "0.5", "--seeds", "1", .. options, "--out", outDir]), mentions, outDir);
    }
}
