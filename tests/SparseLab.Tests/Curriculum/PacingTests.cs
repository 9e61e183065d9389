// Every pacing function against METHODS §7 at hand-worked points: N = 1000, T = 100, a = 0.5, b = 0.2.
using SparseLab.Curriculum;
using SparseLab.Training;
using SparseLab.Foundations;

namespace SparseLab.Tests.Curriculum;

public sealed class PacingTests
{
    private static long Pool(string name, long t, int batch = 10) => Pacing.PoolSize(new PacingOptions(name, A: 0.5, B: 0.2), t, 100, 1000, batch);

    [Theory]
    [InlineData("linear", 0, 200)]
    [InlineData("linear", 25, 600)]       // 200 + 800 · 0.5
    [InlineData("linear", 50, 1000)]      // full set at aT
    [InlineData("linear", 99, 1000)]      // clipped to N
    [InlineData("quad", 25, 400)]         // 200 + 800 · 0.25
    [InlineData("root", 25, 765)]         // 200 + 800 · √0.5 = 765.69
    [InlineData("step", 25, 200)]         // 200 + 1000 · ⌊0.5⌋
    [InlineData("step", 50, 1000)]        // 200 + 1000 · 1, clipped
    [InlineData("exp", 25, 205)]          // 200 + 800 · (e^5 − 1)/(e^10 − 1) = 205.35
    [InlineData("exp", 50, 1000)]
    [InlineData("log", 0, 200)]           // 200 + 800 · (1 + ln(e^−10)/10) = 200
    [InlineData("log", 25, 944)]          // 200 + 800 · (1 + ln(0.5 + e^−10)/10) = 944.56
    public void Given_a_pacing_function_Then_the_pool_follows_its_formula(string name, long t, long expected) =>
        Assert.Equal(expected, Pool(name, t));

    [Theory]
    [InlineData(0, 40)]                   // 1000 · 0.04
    [InlineData(250, 144)]                // 1000 · 0.04 · 1.9² = 144.4
    [InlineData(599, 990)]                // 1000 · 0.04 · 1.9⁵ = 990.44
    [InlineData(600, 1000)]               // 0.04 · 1.9⁶ > 1
    public void Given_fixed_exponential_pacing_Then_the_pool_grows_by_inc_every_step(long t, long expected) =>
        Assert.Equal(expected, Pacing.PoolSize(new PacingOptions("fixed-exp", Sp: 0.04, Inc: 1.9, Step: 100), t, 1000, 1000, 10));

    [Fact]
    public void Given_a_pool_smaller_than_a_batch_Then_it_is_clipped_to_the_batch() =>
        Assert.Equal(64, Pacing.PoolSize(new PacingOptions("linear", A: 0.5, B: 0.01), 0, 100, 1000, 64));

    [Theory]
    [InlineData("linear", 0.0, 0.2, 1.9, "curriculum.pacing_a")]
    [InlineData("linear", -1.0, 0.2, 1.9, "curriculum.pacing_a")]
    [InlineData("quad", 0.5, 0.0, 1.9, "curriculum.pacing_b")]
    [InlineData("root", 0.5, 1.5, 1.9, "curriculum.pacing_b")]
    [InlineData("fixed-exp", 0.5, 0.2, 1.0, "curriculum.pacing_inc")]
    [InlineData("fixed-exp", 0.5, 0.2, 0.5, "curriculum.pacing_inc")]
    [InlineData("cubic", 0.5, 0.2, 1.9, "cubic")]
    public void Given_parameters_out_of_range_Then_validation_names_the_option(string name, double a, double b, double inc, string mentions)
    {
        var config = new TrainConfig { Curriculum = new() { Score = "random", Pacing = name, PacingA = Duration.Fraction(a), PacingB = b, PacingInc = inc } };
        var e = Assert.Throws<ConfigError>(config.Validate);
        Assert.Contains(mentions, e.Message);
    }
}
