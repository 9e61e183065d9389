// The Gaussian baseline draws from the mean and covariance of the images it
// was fitted to: checked on two-pixel images of a known Gaussian.
using SparseLab.Diffusion;
using static TorchSharp.torch;

namespace SparseLab.Tests.Diffusion;

public sealed class GaussianImagesTests
{
    [Fact]
    public void GivenImagesOfAKnownGaussian_ThenTheDrawsHaveItsMeanAndCovariance()
    {
        manual_seed(5);
        var mean = tensor(new double[] { 0.1, -0.2 });
        var factor = tensor(new double[,] { { 0.2, 0 }, { 0.1, Math.Sqrt(0.08) } });   // Σ = L Lᵀ = [[0.04, 0.02], [0.02, 0.09]]
        var images = (mean + randn(40_000, 2, dtype: ScalarType.Float64).matmul(factor.T)).to(ScalarType.Float32).view(40_000, 1, 1, 2);

        var draws = GaussianImages.Sample(images, 40_000, seed: 9);
        Assert.Equal(new long[] { 40_000, 1, 1, 2 }, draws.shape);
        var flat = draws.flatten(1).to(ScalarType.Float64);
        var m = flat.mean([0]);
        var c = (flat - m).T.matmul(flat - m) / 39_999;
        Assert.Equal(0.1, m[0].item<double>(), 2);
        Assert.Equal(-0.2, m[1].item<double>(), 2);
        Assert.Equal(0.04, c[0, 0].item<double>(), 2);
        Assert.Equal(0.02, c[0, 1].item<double>(), 2);
        Assert.Equal(0.09, c[1, 1].item<double>(), 2);
        Assert.True(draws.abs().max().item<float>() <= 1f);                               // clipped to the pixel range
    }

    [Fact]
    public void GivenTheSameSeed_ThenTheSameDraws()
    {
        var images = rand(100, 1, 4, 4) * 2 - 1;
        Assert.True(GaussianImages.Sample(images, 8, 3).equal(GaussianImages.Sample(images, 8, 3)).all().item<bool>());
    }
}
