// `sparselab bench conv`: one JSON line per shape and sparsity with both
// timings, and one error line for a malformed shape or sparsity.
using SparseLab.Tests.Cli;

namespace SparseLab.Tests.Training;

public sealed class BenchConvCliTests
{
    [Theory]
    [InlineData("--shapes", "16:32:3", "'16:32:3' is not IN:OUT:SIZE:STRIDE")]
    [InlineData("--shapes", "4:4:8:0", "'4:4:8:0' is not IN:OUT:SIZE:STRIDE")]
    [InlineData("--shapes", "4:4:2:1:5:0", "the 5×5 kernel is larger than the padded 2×2 input")]
    [InlineData("--sparsities", "0.5,1.2", "1.2")]
    [InlineData("--batch", "0", "--batch must be at least 1")]
    [InlineData("--linears", "784", "--linears '784' is not IN:OUT")]
    [InlineData("--linears", "784:0", "--linears '784:0' is not IN:OUT")]
    public void Given_a_bad_bench_conv_option_Then_one_error_line_and_exit_2(string option, string value, string mentions)
    {
        var r = CliRunner.Run(CliRunner.Override(["bench", "conv", "--shapes", "4:4:8:1", "--sparsities", "0.9", "--batch", "2"], option, value));
        Assert.Equal(2, r.ExitCode);
        var line = Assert.Single(r.Err.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("error: ", line);
        Assert.Contains(mentions, line);
        Assert.Empty(r.Out);
    }

    [Fact]
    public void Given_two_shapes_and_two_sparsities_Then_four_lines_with_the_measured_density_and_both_timings()
    {
        var r = CliRunner.Run("bench", "conv", "--shapes", "4:8:8:1,4:8:8:2:1", "--sparsities", "0.5,0.9", "--batch", "3", "--threads", "1");
        Assert.True(r.ExitCode == 0, r.Err);
        var lines = r.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => System.Text.Json.Nodes.JsonNode.Parse(l)!).ToList();
        Assert.Equal(["4:8:8:1:3:1", "4:8:8:1:3:1", "4:8:8:2:1:0", "4:8:8:2:1:0"], lines.Select(l => (string)l["shape"]!));
        Assert.All(lines, l => Assert.True((double)l["dense_ms"]! > 0 && (double)l["sparse_ms"]! > 0));
        Assert.All(lines, l => Assert.InRange((double)l["density"]!, 0, 1));
        Assert.Equal(288, (long)lines[0]["weights"]!);
    }

    [Fact]
    public void Given_a_linear_layer_Then_one_line_per_sparsity_after_the_convolutions()
    {
        var r = CliRunner.Run("bench", "conv", "--shapes", "4:8:8:1", "--linears", "12:5", "--sparsities", "0.5,0.9", "--batch", "3", "--threads", "1");
        Assert.True(r.ExitCode == 0, r.Err);
        var lines = r.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => System.Text.Json.Nodes.JsonNode.Parse(l)!).ToList();
        Assert.Equal(["4:8:8:1:3:1", "4:8:8:1:3:1", "12:5", "12:5"], lines.Select(l => (string)l["shape"]!));
        Assert.Equal(60, (long)lines[2]["weights"]!);
        Assert.All(lines.Skip(2), l => Assert.True((double)l["dense_ms"]! > 0 && (double)l["sparse_ms"]! > 0 && (double)l["density"]! < 1));
    }
}
