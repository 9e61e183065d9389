// Every bad input gets one `error:` line, the right exit code, and leaves no run behind.
namespace SparseLab.Tests.Cli;

public sealed class BadInputTests
{
    private static readonly string[] Tiny = ["--dataset", "synthetic", "--model", "mlp", "--threads", "1", "--limit-train", "256", "--limit-test", "64"];

    private static void AssertRefused(CliResult r, int exitCode, string mentions, string outDir)
    {
        Assert.Equal(exitCode, r.ExitCode);
        var lines = r.Err.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Single(lines);
        Assert.StartsWith("error: ", lines[0]);
        Assert.Contains(mentions, lines[0]);
        Assert.DoesNotContain("   at ", r.Err);                              // no stack trace
        Assert.False(File.Exists(Path.Combine(outDir, "summary.json")));
        Assert.False(File.Exists(Path.Combine(outDir, "config.json")));
    }

    [Theory]
    [InlineData("--epochs", "0", "--epochs")]
    [InlineData("--lr", "-0.1", "--lr")]
    [InlineData("--model", "resnet1000", "resnet1000")]
    [InlineData("--dataset", "imagenet", "imagenet")]
    [InlineData("--batch-size", "100000", "larger than the training set")]
    [InlineData("--optimizer", "lion", "lion")]
    [InlineData("--lr-schedule", "onecycle", "onecycle")]
    [InlineData("--momentum", "1.5", "--momentum")]
    [InlineData("--milestones", "5,x", "--milestones")]
    [InlineData("--epochs", "two", "two")]
    [InlineData("--limit-train", "0", "--limit-train")]
    public void Given_a_bad_option_Then_exit_2_with_one_error_line(string option, string value, string mentions)
    {
        using var dir = new TempDir();
        string outDir = dir.Combine("run");
        var r = CliRunner.Run(["train", .. Tiny.Where((a, i) => a != option && (i == 0 || Tiny[i - 1] != option)), option, value, "--out", outDir]);
        AssertRefused(r, 2, mentions, outDir);
    }

    [Fact]
    public void Given_an_unknown_option_Then_exit_2() =>
        Assert.Equal(2, CliRunner.Run("train", "--bogus").ExitCode);

    [Fact]
    public void Given_a_missing_dataset_Then_exit_1_saying_where_it_looked_and_how_to_install()
    {
        using var dir = new TempDir();
        string outDir = dir.Combine("run");
        var r = CliRunner.Run("train", "--dataset", "fashion-mnist", "--data-dir", dir.Combine("nothing-here"), "--out", outDir);
        AssertRefused(r, 1, "nothing-here", outDir);
        Assert.Contains("apt-get install", r.Err);
    }

    [Fact]
    public void Given_a_corrupt_idx_file_Then_exit_1_naming_the_file()
    {
        using var dir = new TempDir();
        string data = dir.Combine("fm");
        Directory.CreateDirectory(data);
        foreach (var f in new[] { "train-images-idx3-ubyte", "train-labels-idx1-ubyte", "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte" })
            File.WriteAllBytes(Path.Combine(data, f), [0, 0, 8, 3, 0, 0]);   // right magic, truncated header
        string outDir = dir.Combine("run");
        var r = CliRunner.Run("train", "--dataset", "fashion-mnist", "--data-dir", data, "--out", outDir);
        AssertRefused(r, 1, "-idx", outDir);
    }

    [Fact]
    public void Given_an_unfinished_run_without_resume_Then_exit_2_suggesting_resume()
    {
        using var dir = new TempDir();
        string outDir = dir.Combine("run");
        Assert.Equal(0, CliRunner.Run(["train", .. Tiny, "--epochs", "1", "--out", outDir]).ExitCode);
        File.Delete(Path.Combine(outDir, "summary.json"));                  // as if killed after its checkpoint
        var r = CliRunner.Run(["train", .. Tiny, "--epochs", "1", "--out", outDir]);
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("--resume", r.Err);
    }

    [Fact]
    public void Given_a_missing_or_invalid_yaml_config_Then_exit_2_naming_it()
    {
        using var dir = new TempDir();
        var r = CliRunner.Run("train", "--config", dir.Combine("none.yaml"));
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("none.yaml", r.Err);
        File.WriteAllText(dir.Combine("bad.yaml"), "epochs: [1\n");
        r = CliRunner.Run("train", "--config", dir.Combine("bad.yaml"));
        Assert.Equal(2, r.ExitCode);
        Assert.StartsWith("error: --config", r.Err);
    }

    [Theory]
    [InlineData("bench", "train", "--models", "mlp,alexnet", "alexnet")]
    [InlineData("bench", "train", "--sparsity", "1.5", "--sparsity")]
    [InlineData("bench", "fisher", "--model", "alexnet", "alexnet")]
    [InlineData("bench", "fisher", "--samples", "0", "--samples")]
    [InlineData("inspect", "--model", "alexnet", "", "alexnet")]
    public void Given_bad_bench_or_inspect_options_Then_exit_2_with_one_error_line(string a, string b, string c, string d, string mentions)
    {
        var r = CliRunner.Run([.. new[] { a, b, c, d }.Where(x => x.Length > 0)]);
        Assert.Equal(2, r.ExitCode);
        Assert.StartsWith("error: ", r.Err);
        Assert.Contains(mentions, r.Err);
    }
}
