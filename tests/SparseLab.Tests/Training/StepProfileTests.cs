// bench profile's accounting: every Conv2d and Linear layer of the model is
// timed once, on the kernels the step runs it on, and "other" is what the
// real forward and backward took beyond those layers.
using SparseLab.Training.Kernels;

namespace SparseLab.Tests.Training;

public class StepProfileTests
{
    [Fact]
    public void Every_layer_is_timed_once_on_its_kernels_and_other_is_the_rest_of_the_real_step()
    {
        var p = StepProfile.Measure("lenet5", batch: 16, steps: 3, warmup: 1, sparsity: 0.9, kernels: "sparse");
        var ops = p.Ops.ToDictionary(o => o.Op);
        Assert.Equal(2, ops["Conv2d (sparse)"].Layers);   // LeNet-5: two convolutions, three Linear layers
        Assert.Equal(3, p.Ops.Where(o => o.Op.StartsWith("Linear", StringComparison.Ordinal)).Sum(o => o.Layers));
        Assert.DoesNotContain("Conv2d (dense)", ops.Keys);
        Assert.All(p.Ops, o => Assert.True(o.ForwardMs > 0 && o.BackwardMs >= 0, $"{o.Op}: {o.ForwardMs} / {o.BackwardMs}"));
        Assert.True(p.Phases.ForwardMs > 0 && p.Phases.BackwardMs > 0 && p.Phases.StepMs >= p.Phases.ForwardMs + p.Phases.BackwardMs);
        Assert.Equal(p.Phases.ForwardMs - p.Ops.Sum(o => o.ForwardMs), p.Other.ForwardMs, 9);
        Assert.Equal(p.Phases.BackwardMs - p.Ops.Sum(o => o.BackwardMs), p.Other.BackwardMs, 9);
    }

    [Fact]
    public void A_dense_step_times_its_layers_dense()
    {
        var p = StepProfile.Measure("lenet5", batch: 16, steps: 2, warmup: 1, sparsity: 0, kernels: "dense");
        Assert.Equal(["Conv2d (dense)", "Linear (dense)"], p.Ops.Select(o => o.Op).Order());
        Assert.Equal([2, 3], p.Ops.OrderBy(o => o.Op).Select(o => o.Layers));
    }
}

public class BenchProfileCliTests
{
    [Theory]
    [InlineData("--sparsity", "1.5", "--sparsity")]
    [InlineData("--steps", "0", "--steps must be at least 1")]
    [InlineData("--batch-size", "0", "--batch-size must be at least 1")]
    [InlineData("--model", "resnet99", "resnet99")]
    public void Given_a_bad_bench_profile_option_Then_one_error_line_and_exit_2(string option, string value, string mentions)
    {
        var r = Cli.CliRunner.Run(Cli.CliRunner.Override(["bench", "profile", "--model", "lenet5", "--steps", "1", "--batch-size", "4"], option, value));
        Assert.Equal(2, r.ExitCode);
        var line = Assert.Single(r.Err.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("error: ", line);
        Assert.Contains(mentions, line);
        Assert.Empty(r.Out);
    }

    [Fact]
    public void Given_kernels_without_a_sparsity_Then_it_says_what_the_option_needs()
    {
        var r = Cli.CliRunner.Run("bench", "profile", "--model", "lenet5", "--kernels", "sparse");
        Assert.Equal(2, r.ExitCode);
        Assert.StartsWith("error: ", r.Err);
        Assert.Contains("--kernels", r.Err);
        Assert.Empty(r.Out);
    }
}
