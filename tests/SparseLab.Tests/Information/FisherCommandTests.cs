// The `fisher` command and Fisher tracking during training, end to end.
using System.Text.Json.Nodes;
using SparseLab.Foundations;
using SparseLab.Reporting;
using SparseLab.Tests.Cli;

namespace SparseLab.Tests.Information;

[Trait("Category", "Slow")]
public sealed class FisherCommandTests
{
    private static readonly string[] Tiny = ["--dataset", "synthetic", "--model", "mlp", "--epochs", "2", "--limit-train", "512", "--limit-test", "64", "--batch-size", "64", "--threads", "1"];

    [Fact]
    public void Given_an_mlp_fashion_mnist_run_When_measured_Then_traces_are_positive_and_layers_sum_to_the_totals()
    {
        using var dir = new TempDir();
        string run = dir.Combine("run"), json = dir.Combine("f.json"), csv = dir.Combine("s.csv");
        Assert.Equal(0, CliRunner.Run("train", "--dataset", "fashion-mnist", "--model", "mlp", "--epochs", "1", "--limit-train", "2000",
            "--limit-test", "200", "--threads", "2", "--out", run).ExitCode);
        var r = CliRunner.Run("fisher", "--run", run, "--samples", "512", "--out", json, "--scores", csv);
        Assert.True(r.ExitCode == 0, r.Err);

        var doc = JsonNode.Parse(File.ReadAllText(json))!;
        double t = (double)doc["true_trace"]!, e = (double)doc["empirical_trace"]!;
        Assert.True(t > 0 && e > 0);
        var layers = doc["per_layer"]!.AsObject();
        Assert.Equal(["fc1", "fc2", "fc3"], layers.Select(kv => kv.Key).Order());
        Assert.Equal(t, layers.Sum(kv => (double)kv.Value!["true"]!), 6);
        Assert.Equal(e, layers.Sum(kv => (double)kv.Value!["empirical"]!), 6);

        var lines = File.ReadAllLines(csv);
        Assert.Equal("index,label,true,empirical,last_layer", lines[0]);
        Assert.Equal(513, lines.Length);
        Assert.StartsWith("0,", lines[1]);
    }

    [Fact]
    public void Given_fisher_tracking_When_training_Then_the_final_weights_equal_a_run_without_it()
    {
        using var dir = new TempDir();
        Assert.Equal(0, CliRunner.Run(["train", .. Tiny, "--out", dir.Combine("plain")]).ExitCode);
        var r = CliRunner.Run(["train", .. Tiny, "--fisher-every", "3", "--fisher-samples", "128", "--out", dir.Combine("probed")]);
        Assert.True(r.ExitCode == 0, r.Err);
        Assert.Equal(0, CliRunner.Run("export", "--run", dir.Combine("plain"), "--out", dir.Combine("a.safetensors")).ExitCode);
        Assert.Equal(0, CliRunner.Run("export", "--run", dir.Combine("probed"), "--out", dir.Combine("b.safetensors")).ExitCode);
        var a = SafeTensors.Read(dir.Combine("a.safetensors"));
        var b = SafeTensors.Read(dir.Combine("b.safetensors"));
        foreach (var (name, t) in a) Assert.True(t.equal(b[name]).all().item<bool>(), $"{name} differs");

        var fisher = MetricsLog.Read(Path.Combine(dir.Combine("probed"), "metrics.jsonl")).Where(x => (string?)x["event"] == "fisher").ToList();
        Assert.Equal(1 + 16 / 3, fisher.Count);                                       // the init, then every 3 of 16 steps
        Assert.All(fisher, x => Assert.True((double)x["fisher_true"]! > 0));
        Assert.NotNull(fisher[0]["per_layer"]!["fc1"]);
    }

    [Theory]
    [InlineData("--samples", "0", "--samples")]
    [InlineData("--samples", "100000", "has 512 examples")]
    [InlineData("--kind", "hessian", "hessian")]
    [InlineData("--checkpoint", "epoch9", "epoch9")]
    public void Given_bad_fisher_input_Then_exit_2_and_nothing_written(string option, string value, string mentions)
    {
        using var dir = new TempDir();
        string run = dir.Combine("run");
        Assert.Equal(0, CliRunner.Run(["train", .. Tiny, "--out", run]).ExitCode);
        var r = CliRunner.Run(CliRunner.Override(["fisher", "--run", run, "--out", dir.Combine("f.json"), "--samples", "64"], option, value));
        Assert.Equal(2, r.ExitCode);
        Assert.Contains(mentions, r.Err);
        Assert.False(File.Exists(dir.Combine("f.json")));
    }
}
