// `sparselab curvature` end to end on a tiny synthetic MLP run trained in
// process: the printed numbers, the JSON file, and the error paths (one
// `error:` line, exit 2, nothing written).
using System.Text.Json;
using SparseLab.Tests.Cli;

namespace SparseLab.Tests.Information;

public sealed class CurvatureCommandTests : IDisposable
{
    private readonly TempDir _dir = new();
    private readonly string _run;

    public CurvatureCommandTests()
    {
        _run = _dir.Combine("mlp");
        var r = CliRunner.Run("train", "--dataset", "synthetic", "--model", "mlp", "--epochs", "1", "--limit-train", "256",
            "--limit-test", "64", "--threads", "1", "--out", _run);
        if (r.ExitCode != 0) throw new InvalidOperationException($"training failed: {r.Err}");
    }

    [Fact]
    public void GivenTinyRun_WhenCurvatureWithOut_ThenPrintsNumbersAndWritesJson()
    {
        string file = _dir.Combine("curv", "c.json");

        var r = CliRunner.Run("curvature", "--run", _run, "--samples", "64", "--iterations", "4", "--hutchinson", "3", "--threads", "1", "--out", file);

        Assert.True(r.ExitCode == 0, r.Err);
        Assert.Contains("top_eigenvalue", r.Out);
        Assert.Contains("hessian_trace", r.Out);
        Assert.Contains("jacobian_norm", r.Out);
        using var json = JsonDocument.Parse(File.ReadAllText(file));
        var root = json.RootElement;
        Assert.True(root.GetProperty("top_eigenvalue").GetDouble() > 0);
        Assert.True(double.IsFinite(root.GetProperty("hessian_trace").GetDouble()));
        Assert.True(root.GetProperty("jacobian_norm").GetDouble() > 0);
        Assert.Equal(64, root.GetProperty("samples").GetInt32());
        Assert.Equal(Path.GetFullPath(_run), root.GetProperty("run").GetString());
        Assert.Equal("final", root.GetProperty("checkpoint").GetString());
        Assert.Equal([file], Directory.GetFiles(Path.GetDirectoryName(file)!));   // no temporary left behind
    }

    [Theory]
    [InlineData("--samples", "0", "--samples must be at least 1")]
    [InlineData("--samples", "300", "--samples 300")]   // the run trained on 256 examples
    [InlineData("--iterations", "0", "--iterations must be at least 1")]
    [InlineData("--checkpoint", "nosuch", "--checkpoint 'nosuch'")]
    public void GivenBadOption_WhenCurvature_ThenOneErrorLineExit2AndNothingWritten(string option, string value, string message)
    {
        string file = _dir.Combine("bad", "c.json");

        string[] iterations = option == "--iterations" ? [] : ["--iterations", "2"];
        var r = CliRunner.Run(["curvature", "--run", _run, option, value, .. iterations, "--hutchinson", "2", "--threads", "1", "--out", file]);

        Assert.Equal(2, r.ExitCode);
        var lines = r.Err.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Single(lines);
        Assert.StartsWith("error: " + message, lines[0]);
        Assert.False(File.Exists(file));
    }

    [Fact]
    public void GivenMissingRunFolder_WhenCurvature_ThenErrorNamesRun()
    {
        var r = CliRunner.Run("curvature", "--run", _dir.Combine("nowhere"));

        Assert.Equal(2, r.ExitCode);
        Assert.StartsWith("error: --run", r.Err);
    }

    public void Dispose() => _dir.Dispose();
}
