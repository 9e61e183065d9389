// The α grid and the option checks of a linear path.
using SparseLab.Foundations;
using SparseLab.Information;
using static TorchSharp.torch;

namespace SparseLab.Tests.Information;

public sealed class PathOptionsTests
{
    [Fact]
    public void Given_the_defaults_Then_alpha_runs_from_minus_0_2_to_1_2_in_29_steps_of_0_05_hitting_0_and_1_exactly()
    {
        var alphas = new PathOptions().Alphas();

        Assert.Equal(29, alphas.Count);
        Assert.Equal(-0.2, alphas[0]);
        Assert.Equal(1.2, alphas[^1]);
        Assert.Equal(0.0, alphas[4]);
        Assert.Equal(1.0, alphas[24]);
        Assert.Equal(0.5, alphas[14]);
        for (int i = 1; i < alphas.Count; i++)
            Assert.Equal(0.05, alphas[i] - alphas[i - 1], 12);
    }

    [Theory]
    [InlineData(1, -0.2, 1.2, "recompute", "points")]
    [InlineData(0, -0.2, 1.2, "recompute", "points")]
    [InlineData(29, 1.0, 1.0, "recompute", "alpha_min")]
    [InlineData(29, 1.0, 0.0, "recompute", "alpha_min")]
    [InlineData(29, double.NaN, 1.0, "recompute", "alpha_min")]
    [InlineData(29, -0.2, 1.2, "average", "batch_norm")]
    public void Given_bad_options_Then_they_are_refused_as_option_errors(int points, double min, double max, string bn, string named)
    {
        var options = new PathOptions(points, min, max, bn);

        var e = Assert.ThrowsAny<InvalidOptionException>(options.Validate);
        Assert.Contains(named, e.Message);
        Assert.Equal(2, e.ExitCode);
    }

    [Fact]
    public void Given_one_point_When_a_path_is_evaluated_Then_it_is_refused_before_any_work()
    {
        using var data = PathTestKit.TinyData();
        using var a = PathTestKit.MlpState(1);
        using var b = PathTestKit.MlpState(2);
        using var scratch = PathTestKit.Mlp(3);

        Assert.ThrowsAny<InvalidOptionException>(() => LinearPath.Evaluate(scratch, a, b, null, data, new PathOptions(Points: 1), CPU));
    }
}
