// SSIM (Wang et al. 2004, Eq. 13) against references computed another way: a
// per-pixel loop over every window position with the Gaussian weights and the
// two-pass moments of Eqs. 14–16, written here; the closed form for two
// constant images; SSIM(x, x) = 1; values in [−1, 1]; mismatched shapes refused.
using SparseLab.Diffusion;
using TorchSharp;
using static TorchSharp.torch;

namespace SparseLab.Tests.Diffusion;

public sealed class SsimTests
{
    /// <summary>The 11×11 Gaussian weights, σ = 1.5, summing to 1, as nested arrays.</summary>
    private static double[,] Weights()
    {
        var w = new double[11, 11];
        double sum = 0;
        for (int i = 0; i < 11; i++)
            for (int j = 0; j < 11; j++)
                sum += w[i, j] = Math.Exp(-((i - 5) * (i - 5) + (j - 5) * (j - 5)) / (2 * 1.5 * 1.5));
        for (int i = 0; i < 11; i++)
            for (int j = 0; j < 11; j++)
                w[i, j] /= sum;
        return w;
    }

    /// <summary>Eq. 13 at every window that fits inside the image, averaged over positions and channels, one image pair at a time.</summary>
    private static double[] NaiveSsim(Tensor x, Tensor y, double range)
    {
        var w = Weights();
        double c1 = Math.Pow(0.01 * range, 2), c2 = Math.Pow(0.03 * range, 2);
        long b = x.shape[0], c = x.shape[1], h = x.shape[2], wd = x.shape[3];
        var xs = x.to(ScalarType.Float64).data<double>().ToArray();
        var ys = y.to(ScalarType.Float64).data<double>().ToArray();
        double At(double[] a, long n, long ch, long i, long j) => a[((n * c + ch) * h + i) * wd + j];
        var result = new double[b];
        for (long n = 0; n < b; n++)
        {
            double total = 0;
            long count = 0;
            for (long ch = 0; ch < c; ch++)
                for (long i = 0; i + 11 <= h; i++)
                    for (long j = 0; j + 11 <= wd; j++)
                    {
                        double mx = 0, my = 0;
                        for (int u = 0; u < 11; u++)
                            for (int v = 0; v < 11; v++)
                            {
                                mx += w[u, v] * At(xs, n, ch, i + u, j + v);
                                my += w[u, v] * At(ys, n, ch, i + u, j + v);
                            }
                        double vx = 0, vy = 0, cxy = 0;
                        for (int u = 0; u < 11; u++)
                            for (int v = 0; v < 11; v++)
                            {
                                double dx = At(xs, n, ch, i + u, j + v) - mx, dy = At(ys, n, ch, i + u, j + v) - my;
                                vx += w[u, v] * dx * dx;
                                vy += w[u, v] * dy * dy;
                                cxy += w[u, v] * dx * dy;
                            }
                        total += (2 * mx * my + c1) * (2 * cxy + c2) / ((mx * mx + my * my + c1) * (vx + vy + c2));
                        count++;
                    }
            result[n] = total / count;
        }
        return result;
    }

    [Fact]
    public void GivenAnImageBatch_WhenComparedWithItself_ThenEverySsimIsOne()
    {
        using var scope = torch.NewDisposeScope();
        var x = torch.rand(3, 3, 16, 16) * 2 - 1;
        var perImage = Ssim.PerImage(x, x, dataRange: 2);
        Assert.Equal([3L], perImage.shape);
        Assert.True(perImage.allclose(torch.ones(3, dtype: ScalarType.Float64), rtol: 0, atol: 1e-12));
        Assert.Equal(1, Ssim.Mean(x, x, dataRange: 2), 1e-12);
    }

    [Fact]
    public void GivenASmallRandomPair_WhenComputingSsim_ThenItMatchesTheNaivePerPixelLoop()
    {
        using var scope = torch.NewDisposeScope();
        var x = torch.rand(1, 1, 16, 16) * 2 - 1;
        var y = (x + 0.3 * torch.randn(1, 1, 16, 16)).clamp(-1, 1);
        double expected = NaiveSsim(x, y, range: 2)[0];
        Assert.Equal(expected, Ssim.PerImage(x, y, dataRange: 2)[0].item<double>(), 1e-12);
    }

    [Fact]
    public void GivenColourBatchesOfOddSize_WhenComputingSsim_ThenEachImageMatchesTheNaiveLoopAveragedOverChannels()
    {
        using var scope = torch.NewDisposeScope();
        var x = torch.rand(2, 3, 12, 14);
        var y = torch.rand(2, 3, 12, 14);
        var expected = NaiveSsim(x, y, range: 1);
        var actual = Ssim.PerImage(x, y, dataRange: 1).data<double>().ToArray();
        for (int n = 0; n < 2; n++) Assert.Equal(expected[n], actual[n], 1e-12);
        Assert.Equal(expected.Average(), Ssim.Mean(x, y, dataRange: 1), 1e-12);
    }

    [Theory]
    [InlineData(0.3, -0.2, 2.0)]
    [InlineData(0.9, 0.1, 2.0)]
    [InlineData(200.0, 50.0, 255.0)]
    public void GivenTwoConstantImages_WhenComputingSsim_ThenItIsTheLuminanceTermAlone(double a, double b, double range)
    {
        using var scope = torch.NewDisposeScope();
        // σx = σy = σxy = 0, so Eq. 13 is (2ab + C1) C2 / ((a² + b² + C1) C2).
        double c1 = Math.Pow(0.01 * range, 2);
        double expected = (2 * a * b + c1) / (a * a + b * b + c1);
        var x = torch.full(1, 1, 13, 11, a, ScalarType.Float64);
        var y = torch.full(1, 1, 13, 11, b, ScalarType.Float64);
        Assert.Equal(expected, Ssim.Mean(x, y, range), 1e-9);
    }

    [Fact]
    public void GivenRandomAndOpposedPairs_WhenComputingSsim_ThenEveryValueIsWithinMinusOneAndOne()
    {
        using var scope = torch.NewDisposeScope();
        var x = torch.rand(4, 1, 16, 16) * 2 - 1;
        var pairs = new[] { torch.rand(4, 1, 16, 16) * 2 - 1, -x, x + 0.05 * torch.randn(4, 1, 16, 16), torch.zeros(4, 1, 16, 16) };
        foreach (var y in pairs)
        {
            var s = Ssim.PerImage(x, y, dataRange: 2);
            Assert.True(s.ge(-1).all().item<bool>() && s.le(1).all().item<bool>(), $"SSIM outside [-1, 1]: {s.min().item<double>()}");
        }
        // A negative image (same positive local means, opposed structure) is anti-correlated: SSIM below 0.
        var positive = torch.rand(2, 1, 16, 16);
        Assert.True(Ssim.Mean(positive, 1 - positive, dataRange: 1) < 0);
    }

    [Fact]
    public void GivenBatchesOfDifferentShapes_WhenComputingSsim_ThenItIsRefusedNamingBothShapes()
    {
        using var scope = torch.NewDisposeScope();
        var e = Assert.Throws<ArgumentException>(() => Ssim.PerImage(torch.rand(2, 1, 16, 16), torch.rand(2, 1, 16, 15), 1));
        Assert.Contains("(2, 1, 16, 16) and (2, 1, 16, 15)", e.Message);
    }

    [Fact]
    public void GivenImagesSmallerThanTheWindowOrNoRange_WhenComputingSsim_ThenItIsRefused()
    {
        using var scope = torch.NewDisposeScope();
        Assert.Throws<ArgumentException>(() => Ssim.PerImage(torch.rand(1, 1, 10, 16), torch.rand(1, 1, 10, 16), 1));
        Assert.Throws<ArgumentException>(() => Ssim.PerImage(torch.rand(16, 16), torch.rand(16, 16), 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => Ssim.PerImage(torch.rand(1, 1, 16, 16), torch.rand(1, 1, 16, 16), 0));
    }
}
