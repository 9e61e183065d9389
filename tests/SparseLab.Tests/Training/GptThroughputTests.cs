// `sparselab bench train --models gpt`: one JSON line with tokens/s for the
// default 0.84 M-parameter GPT at nanoGPT's character-level batch, and an
// error for --sparsity (the language model is timed dense).
using SparseLab.Tests.Cli;

namespace SparseLab.Tests.Training;

public sealed class GptThroughputTests
{
    [Fact]
    public void Given_bench_train_on_gpt_Then_one_line_with_tokens_per_second_at_batch_32_of_128_tokens()
    {
        var r = CliRunner.Run("bench", "train", "--models", "gpt", "--steps", "1", "--warmup", "0", "--threads", "1");
        Assert.True(r.ExitCode == 0, r.Err);
        var line = System.Text.Json.Nodes.JsonNode.Parse(Assert.Single(r.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries)))!;
        Assert.Equal(32, (int)line["batch"]!);
        Assert.Equal(128, (int)line["block_size"]!);
        Assert.Equal(842_496, (long)line["params"]!);
        Assert.True((double)line["tokens_per_s"]! > 0);
    }

    [Fact]
    public void Given_a_sparsity_for_gpt_Then_one_error_line()
    {
        var r = CliRunner.Run("bench", "train", "--models", "gpt", "--sparsity", "0.5", "--steps", "1");
        Assert.Equal(2, r.ExitCode);
        Assert.StartsWith("error: --sparsity is for the classifiers", r.Err);
    }
}
