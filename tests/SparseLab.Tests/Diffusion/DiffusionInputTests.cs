// The packed input (x_t and a plane holding t) round-trips exactly; q(x_t | x_0) matches Ho et al. 2020, Eq. 4
// element by element in doubles; L_simple (Eq. 14) is the plain mean of squared differences.
using SparseLab.Diffusion;
using TorchSharp;
using static TorchSharp.torch;

namespace SparseLab.Tests.Diffusion;

public sealed class DiffusionInputTests
{
    [Fact]
    public void GivenImagesAndSteps_WhenPackedAndUnpacked_ThenBothComeBackExactlyAndTheTimePlaneIsConstant()
    {
        using var scope = torch.NewDisposeScope();
        var xt = torch.randn(3, 2, 5, 6);
        var t = torch.tensor(new long[] { 1, 537, 1000 });

        var packed = DiffusionInput.Pack(xt, t);
        var (x, steps) = DiffusionInput.Unpack(packed);

        Assert.Equal(new long[] { 3, 3, 5, 6 }, packed.shape);
        Assert.Equal(ScalarType.Float32, packed.dtype);
        Assert.True(x.equal(xt).all().item<bool>());
        Assert.Equal(ScalarType.Int64, steps.dtype);
        Assert.Equal(new long[] { 1, 537, 1000 }, steps.data<long>().ToArray());
        for (int b = 0; b < 3; b++)
            Assert.True(packed[b, 2].eq(t[b].to(ScalarType.Float32)).all().item<bool>(), $"image {b}'s time plane is not constant");
    }

    [Fact]
    public void GivenStepsThatDoNotMatchTheBatch_WhenPacking_ThenItIsRefused()
    {
        using var scope = torch.NewDisposeScope();
        Assert.Throws<ArgumentException>(() => DiffusionInput.Pack(torch.zeros(3, 1, 4, 4), torch.ones(2, dtype: ScalarType.Int64)));
        Assert.Throws<ArgumentException>(() => DiffusionInput.Unpack(torch.zeros(3, 1, 4, 4)));
    }

    [Fact]
    public void GivenX0StepsAndNoise_WhenSamplingQ_ThenEveryElementIsSqrtAlphaBarX0PlusSqrtOneMinusAlphaBarEps()
    {
        using var scope = torch.NewDisposeScope();
        var alphaBar = new NoiseSchedule().AlphaBars();
        var x0 = torch.rand(4, 1, 3, 3) * 2 - 1;
        var eps = torch.randn(4, 1, 3, 3);
        long[] steps = [1, 10, 500, 1000];

        var xt = DiffusionInput.QSample(x0, torch.tensor(steps), eps, alphaBar);

        var (a, e, got) = (x0.data<float>().ToArray(), eps.data<float>().ToArray(), xt.data<float>().ToArray());
        for (int b = 0; b < 4; b++)
            for (int i = 0; i < 9; i++)
            {
                double bar = alphaBar[steps[b] - 1];
                int k = b * 9 + i;
                Assert.Equal(Math.Sqrt(bar) * a[k] + Math.Sqrt(1 - bar) * e[k], got[k], 5);
            }
    }

    [Fact]
    public void GivenAStepOutsideOneToT_WhenSamplingQ_ThenItIsRefusedWithTheRange()
    {
        using var scope = torch.NewDisposeScope();
        var alphaBar = new NoiseSchedule { Steps = 10 }.AlphaBars();
        var x = torch.zeros(2, 1, 2, 2);

        var low = Assert.Throws<ArgumentOutOfRangeException>(() => DiffusionInput.QSample(x, torch.tensor(new long[] { 0, 5 }), x, alphaBar));
        Assert.Contains("1..10, got 0..5", low.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => DiffusionInput.QSample(x, torch.tensor(new long[] { 11, 5 }), x, alphaBar));
    }

    [Fact]
    public void GivenAPredictionAndTheNoise_WhenTakingTheSimpleLoss_ThenItIsTheMeanSquaredDifference()
    {
        using var scope = torch.NewDisposeScope();
        var predicted = torch.tensor(new float[] { 1, 2, 3, 4 }, [1, 1, 2, 2]);
        var eps = torch.tensor(new float[] { 0, 2, 5, 3 }, [1, 1, 2, 2]);

        Assert.Equal((1 + 0 + 4 + 1) / 4.0, DiffusionInput.SimpleLoss(predicted, eps).item<float>(), 6);
    }

    [Fact]
    public void GivenABatchSize_WhenDrawingSteps_ThenEveryStepIsInOneToT()
    {
        using var scope = torch.NewDisposeScope();
        var t = DiffusionInput.DrawSteps(5000, 7);

        Assert.Equal(new long[] { 5000 }, t.shape);
        Assert.Equal(1, t.min().item<long>());
        Assert.Equal(7, t.max().item<long>());
    }
}
