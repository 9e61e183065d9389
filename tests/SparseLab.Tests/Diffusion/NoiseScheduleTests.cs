// Pins the noise schedules: ᾱ against a naive product loop, the linear schedule's endpoints (Ho et al. 2020 §4),
// the cosine schedule against a hand computation of Nichol & Dhariwal 2021 Eq. 17, and the refusals, each naming
// the option as the command line spells it.
using SparseLab.Diffusion;
using SparseLab.Foundations;

namespace SparseLab.Tests.Diffusion;

public sealed class NoiseScheduleTests
{
    [Theory]
    [InlineData(NoiseSchedule.Linear)]
    [InlineData(NoiseSchedule.Cosine)]
    public void GivenEitherSchedule_WhenComputingAlphaBar_ThenItIsTheProductOfOneMinusBetaByANaiveLoop(string name)
    {
        var schedule = new NoiseSchedule { Name = name, Steps = 200 };
        var beta = schedule.Betas();
        var alpha = schedule.Alphas();
        var alphaBar = schedule.AlphaBars();

        Assert.Equal(200, alphaBar.Length);
        for (int t = 1; t <= 200; t++)
        {
            double product = 1;
            for (int s = 1; s <= t; s++) product *= 1 - beta[s - 1];
            Assert.Equal(1 - beta[t - 1], alpha[t - 1], 15);
            Assert.Equal(product, alphaBar[t - 1], 14);
        }
    }

    [Fact]
    public void GivenTheDefaultLinearSchedule_ThenBetaRunsFrom1e4AtT1To002AtT1000InEqualSteps()
    {
        var beta = new NoiseSchedule().Betas();

        Assert.Equal(1000, beta.Length);
        Assert.Equal(1e-4, beta[0], 15);
        Assert.Equal(0.02, beta[999], 15);
        double step = (0.02 - 1e-4) / 999;
        for (int i = 1; i < 1000; i++) Assert.Equal(step, beta[i] - beta[i - 1], 12);
    }

    [Fact]
    public void GivenCustomLinearEndpointsAndOneStep_ThenTheOnlyBetaIsTheStart()
    {
        Assert.Equal([0.3], new NoiseSchedule { Steps = 1, BetaStart = 0.3, BetaEnd = 0.5 }.Betas());
        Assert.Equal([0.5, 0.25], new NoiseSchedule { Steps = 2, BetaStart = 0.5, BetaEnd = 0.25 }.Betas());
    }

    [Fact]
    public void GivenTheCosineSchedule_WhenComparedWithAHandComputation_ThenBetaAndAlphaBarAgree()
    {
        var schedule = new NoiseSchedule { Name = NoiseSchedule.Cosine };
        var beta = schedule.Betas();
        var alphaBar = schedule.AlphaBars();

        // f(t) = cos²(((t/1000) + 0.008)/1.008 · π/2), computed separately in Python (math.cos, float64):
        // β_1 = 1 − f(1)/f(0), β_500 = 1 − f(500)/f(499), ᾱ_500 = f(500)/f(0); β_1000 = 1 − f(1000)/f(999) = 1.0, clipped.
        Assert.Equal(4.128422482196914e-05, beta[0], 15);
        Assert.Equal(0.0031458862304780677, beta[499], 14);
        Assert.Equal(0.49384359044063775, alphaBar[499], 12);
        Assert.Equal(0.999, beta[999]);
        Assert.All(beta, b => Assert.InRange(b, 1e-6, 0.999));
    }

    [Theory]
    [InlineData(nameof(NoiseSchedule.BetaEnd), 1.5, "--beta-end must be in (0, 1), got 1.5")]
    [InlineData(nameof(NoiseSchedule.BetaEnd), 1.0, "--beta-end must be in (0, 1), got 1")]
    [InlineData(nameof(NoiseSchedule.BetaStart), 0.0, "--beta-start must be in (0, 1), got 0")]
    [InlineData(nameof(NoiseSchedule.BetaStart), -0.1, "--beta-start must be in (0, 1), got -0.1")]
    [InlineData(nameof(NoiseSchedule.BetaStart), double.NaN, "--beta-start must be in (0, 1), got NaN")]
    public void GivenALinearEndpointOutsideZeroOne_WhenValidating_ThenOneErrorNamesTheOption(string field, double value, string expected)
    {
        var schedule = field == nameof(NoiseSchedule.BetaEnd) ? new NoiseSchedule { BetaEnd = value } : new NoiseSchedule { BetaStart = value };

        var e = Assert.Throws<ConfigError>(schedule.Validate);

        Assert.Equal([field], e.Fields);
        Assert.Equal(expected, AsTheCliSaysIt(e));
        Assert.Throws<ConfigError>(() => schedule.AlphaBars());
    }

    [Fact]
    public void GivenNoStepsAnUnknownNameOrAnEndpointWithCosine_WhenValidating_ThenEachIsRefusedNamingItsOption()
    {
        Assert.Equal("--diffusion-steps must be at least 1, got 0", AsTheCliSaysIt(Assert.Throws<ConfigError>(new NoiseSchedule { Steps = 0 }.Validate)));
        Assert.Equal("--noise-schedule 'quadratic' is not known; use one of: linear, cosine",
            AsTheCliSaysIt(Assert.Throws<ConfigError>(new NoiseSchedule { Name = "quadratic" }.Validate)));
        Assert.Equal("--beta-end only applies to the linear schedule, not cosine",
            AsTheCliSaysIt(Assert.Throws<ConfigError>(new NoiseSchedule { Name = NoiseSchedule.Cosine, BetaEnd = 0.05 }.Validate)));
        Assert.Equal("beta_end must be in (0, 1), got 1.5", Assert.Throws<ConfigError>(new NoiseSchedule { BetaEnd = 1.5 }.Validate).Message);
    }

    /// <summary>The error with each field spelled as its flag, as the CLI renders it.</summary>
    private static string AsTheCliSaysIt(ConfigError e) =>
        e.Render(path => ConfigSchema.Of<NoiseSchedule>().Resolve(path)?.Flag ?? $"<no field {path}>");
}
