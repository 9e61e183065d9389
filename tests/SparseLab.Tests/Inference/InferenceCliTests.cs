// Bad input to export --format sparse, infer and bench spmm: one `error:`
// line, exit 2 for options and 1 for corrupt files, nothing written.
using SparseLab.Tests.Cli;

namespace SparseLab.Tests.Inference;

public sealed class InferenceCliTests
{
    private static void AssertOneError(CliResult r, int exitCode, string mentions)
    {
        Assert.Equal(exitCode, r.ExitCode);
        var lines = r.Err.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Single(lines);
        Assert.StartsWith("error: ", lines[0]);
        Assert.Contains(mentions, lines[0]);
    }

    [Theory]
    [InlineData("col-out-of-range", "outside the 8 columns")]
    [InlineData("row-ptr-not-monotone", "not monotone")]
    [InlineData("truncated", "is damaged (SHA-256 mismatch")]
    [InlineData("inputs-mismatch", "takes 7 inputs")]
    public void Given_a_corrupt_model_file_When_inferred_Then_exit_1_with_one_error_line(string kind, string mentions)
    {
        using var dir = new TempDir();
        string f = dir.Combine("bad.safetensors");
        SparseModelFileTests.Corrupt(f, kind);
        AssertOneError(CliRunner.Run("infer", "--model-file", f, "--dataset", "synthetic"), 1, mentions);
    }

    [Fact]
    public void Given_infer_without_a_usable_model_file_Then_exit_2()
    {
        AssertOneError(CliRunner.Run("infer", "--dataset", "synthetic"), 2, "--model-file is required");
        AssertOneError(CliRunner.Run("infer", "--model-file", "/nonexistent/m.safetensors"), 2, "/nonexistent/m.safetensors");
    }

    [Fact]
    public void Given_a_run_that_is_not_two_four_When_exported_with_layout_nm_Then_exit_2_and_no_file()
    {
        using var dir = new TempDir();
        string run = dir.Combine("run"), file = dir.Combine("m.safetensors");
        var t = CliRunner.Run("train", "--dataset", "synthetic", "--model", "mlp", "--threads", "1", "--limit-train", "256", "--limit-test", "64", "--epochs", "1", "--out", run);
        Assert.True(t.ExitCode == 0, t.Err);
        AssertOneError(CliRunner.Run("export", "--run", run, "--format", "sparse", "--layout", "nm", "--out", file), 2, "not 2:4 sparse");
        AssertOneError(CliRunner.Run("export", "--run", run, "--format", "onnx", "--out", file), 2, "onnx");
        AssertOneError(CliRunner.Run("export", "--run", run, "--format", "sparse", "--layout", "bsr", "--out", file), 2, "bsr");
        Assert.False(File.Exists(file));

        var ok = CliRunner.Run("export", "--run", run, "--format", "sparse", "--layout", "dense", "--out", file);
        Assert.True(ok.ExitCode == 0, ok.Err);
        var i = CliRunner.Run("infer", "--model-file", file, "--limit-test", "64", "--batch-size", "7", "--threads", "1");
        Assert.True(i.ExitCode == 0, i.Err);
        Assert.Contains("accuracy: ", i.Out);
    }

    [Theory]
    [InlineData("--sparsities", "0.5,1.2", "1.2")]
    [InlineData("--sparsities", "x", "'x'")]
    [InlineData("--rows", "0", "--rows must be at least 1")]
    [InlineData("--layout", "bsr", "bsr")]
    public void Given_a_bad_bench_spmm_option_Then_exit_2(string option, string value, string mentions) =>
        AssertOneError(CliRunner.Run(CliRunner.Override(["bench", "spmm", "--rows", "8", "--cols", "8", "--batch", "2"], option, value)), 2, mentions);

    [Fact]
    public void Given_a_small_bench_spmm_Then_one_json_line_per_sparsity_with_the_timings()
    {
        var r = CliRunner.Run("bench", "spmm", "--rows", "64", "--cols", "48", "--batch", "5", "--sparsities", "0.5,0.9", "--threads", "1");
        Assert.True(r.ExitCode == 0, r.Err);
        var lines = r.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(2, lines.Length);
        foreach (var key in new[] { "\"sparsity\"", "\"rows\":64", "\"cols\":48", "\"batch\":5", "\"ours_ms\"", "\"dense_ms\"", "\"torch_sparse_ms\"", "\"gflops\"", "\"speedup_vs_dense\"", "\"speedup_vs_torch_sparse\"", "\"threads\":1" })
            Assert.Contains(key, lines[0]);
        var nm = CliRunner.Run("bench", "spmm", "--rows", "16", "--cols", "32", "--batch", "3", "--sparsities", "0.5", "--layout", "nm", "--threads", "1");
        Assert.True(nm.ExitCode == 0, nm.Err);
        Assert.Contains("\"layout\":\"nm\"", nm.Out);
    }

    [Fact]
    public void Given_saved_bench_spmm_lines_When_reported_Then_a_table_and_a_figure_are_written()
    {
        using var dir = new TempDir();
        string jsonl = dir.Combine("sweep.jsonl"), png = dir.Combine("speedup.png");
        var r = CliRunner.Run("bench", "spmm", "--rows", "32", "--cols", "32", "--batch", "4", "--sparsities", "0.5,0.9", "--threads", "1");
        Assert.True(r.ExitCode == 0, r.Err);
        File.WriteAllText(jsonl, r.Out);
        var report = CliRunner.Run("bench", "spmm-report", "--results", jsonl, "--plot", png);
        Assert.True(report.ExitCode == 0, report.Err);
        Assert.Contains("| csr | 32×32 | 4 | 0.9 |", report.Out);
        Assert.True(new FileInfo(png).Length > 1000);
        File.WriteAllText(jsonl, "{\"sparsity\": \"x\"}\n");
        AssertOneError(CliRunner.Run("bench", "spmm-report", "--results", jsonl), 1, "line 1");

        // Found by probing: a line without the result's fields printed a table of zeros.
        File.WriteAllText(jsonl, "{\"layout\": \"csr\"}\n");
        AssertOneError(CliRunner.Run("bench", "spmm-report", "--results", jsonl), 1, "line 1 is not a bench spmm result");
        File.WriteAllText(jsonl, r.Out);
        string folder = dir.Combine("figures");
        Directory.CreateDirectory(folder);
        AssertOneError(CliRunner.Run("bench", "spmm-report", "--results", jsonl, "--plot", folder), 1, $"--plot '{folder}' cannot be written: it is a folder; give a file name");
        Assert.Empty(Directory.GetFileSystemEntries(folder));
    }
}
