// DDIM (Song et al. 2021, Eq. 12, η = 0): the step spacing, the refusal of a step count outside 1..T, recovery
// of x_0 from any x_T with a perfect noise predictor, and the same samples from the same noise.
using SparseLab.Diffusion;
using SparseLab.Foundations;
using SparseLab.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace SparseLab.Tests.Diffusion;

public sealed class DdimSamplerTests
{
    [Fact]
    public void GivenSAndT_WhenSpacingTheSteps_ThenTheyAreRoundedMultiplesOfTOverSEndingAtT()
    {
        Assert.Equal([1000], DdimSampler.Steps(1, 1000));
        Assert.Equal([100, 200, 300, 400, 500, 600, 700, 800, 900, 1000], DdimSampler.Steps(10, 1000));
        Assert.Equal([3, 7, 10], DdimSampler.Steps(3, 10));   // 3.33, 6.67, 10
        Assert.Equal(Enumerable.Range(1, 1000), DdimSampler.Steps(1000, 1000));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1001)]
    public void GivenStepsOutsideOneToT_WhenSampling_ThenAConfigErrorNamesSampleSteps(int steps)
    {
        using var scope = torch.NewDisposeScope();
        var model = new OracleDenoiser(torch.zeros(1, 1, 4, 4), new NoiseSchedule().AlphaBars());

        var e = Assert.Throws<ConfigError>(() => DdimSampler.Sample(model, torch.randn(2, 1, 4, 4), new NoiseSchedule(), steps));

        Assert.Equal([DdimSampler.SampleStepsField], e.Fields);
        Assert.StartsWith($"--sample-steps must be in 1..1000", e.Render(path => "--" + Names.Kebab(path)));
        Assert.EndsWith($"got {steps}", e.Message);
        Assert.Equal(0, model.Calls);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(10)]
    [InlineData(1000)]
    public void GivenAPerfectNoisePredictor_WhenSamplingFromAnyNoise_ThenX0IsRecoveredTo1e4(int steps)
    {
        using var scope = torch.NewDisposeScope();
        var schedule = new NoiseSchedule();
        var x0 = torch.rand(1, 2, 5, 5) * 1.8 - 0.9;                     // inside [−1, 1]: the clip changes nothing
        var oracle = new OracleDenoiser(x0, schedule.AlphaBars());
        oracle.train();

        var sample = DdimSampler.Sample(oracle, torch.randn(6, 2, 5, 5), schedule, steps, batchSize: 4);

        Assert.Equal(new long[] { 6, 2, 5, 5 }, sample.shape);
        double error = (sample - x0).abs().max().item<float>();
        Assert.True(error < 1e-4, $"|x̂_0 − x_0| reached {error} with S = {steps}");
        Assert.Equal(2 * steps, oracle.Calls);                           // two batches (4 and 2) per step
        Assert.False(oracle.SawTraining);
        Assert.True(oracle.training);                                     // put back as it was
    }

    [Fact]
    public void GivenTheSameNoise_WhenAUNetSamplesTwice_ThenTheSamplesAreIdenticalAndInsideMinusOneOne()
    {
        using var scope = torch.NewDisposeScope();
        var model = new UNet(new ModelSpec("unet", 1, 28, 28, 10, WidthMultiplier: 0.25));
        var noise = torch.randn(3, 1, 28, 28);
        var schedule = new NoiseSchedule { Name = NoiseSchedule.Cosine };

        var first = DdimSampler.Sample(model, noise, schedule, 4, batchSize: 2);
        var second = DdimSampler.Sample(model, noise.clone(), schedule, 4, batchSize: 2);

        Assert.True(first.equal(second).all().item<bool>());
        Assert.True(first.abs().max().item<float>() <= 1);
        Assert.True(model.training);
    }
}
