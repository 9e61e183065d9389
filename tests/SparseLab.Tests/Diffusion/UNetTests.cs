// The diffusion U-Net: ε̂ has the image's shape for 28×28 and 32×32, 1 and 3 channels; the time embedding matches a
// hand computation of Ho et al.'s get_timestep_embedding; its layers are the plain Conv2d/Linear pruning and the
// sparse kernels see (every one reached through the router); gradients reach every parameter; and it can overfit
// one small batch under L_simple.
using SparseLab.Diffusion;
using SparseLab.Models;
using SparseLab.Sparsity;
using TorchSharp;
using TorchSharp.Modules;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace SparseLab.Tests.Diffusion;

public sealed class UNetTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData(1, 28)]
    [InlineData(3, 28)]
    [InlineData(1, 32)]
    [InlineData(3, 32)]
    public void GivenAnImageShape_WhenForwardingAPackedBatch_ThenTheNoisePredictionHasTheImageShape(int channels, int side)
    {
        using var scope = torch.NewDisposeScope();
        var model = new UNet(new ModelSpec("unet", channels, side, side, 10));
        var input = DiffusionInput.Pack(torch.randn(2, channels, side, side), torch.tensor(new long[] { 1, 1000 }));

        var eps = model.call(input);

        Assert.Equal(new long[] { 2, channels, side, side }, eps.shape);
        Assert.True(torch.isfinite(eps).all().item<bool>());
    }

    [Fact]
    public void GivenAnInputWithoutTheTimePlane_WhenForwarding_ThenItIsRefused()
    {
        using var scope = torch.NewDisposeScope();
        var model = new UNet(new ModelSpec("unet", 1, 28, 28, 10, WidthMultiplier: 0.25));

        var e = Assert.Throws<ArgumentException>(() => model.call(torch.randn(2, 1, 28, 28)));
        Assert.Contains("(B, 2, H, W)", e.Message);
        Assert.Throws<ArgumentException>(() => new UNet(new ModelSpec("unet", 1, 30, 30, 10)));
    }

    [Fact]
    public void GivenStepsOneAndHundred_WhenEmbedding_ThenHalfSinesHalfCosinesOfTheHandComputedFrequencies()
    {
        using var scope = torch.NewDisposeScope();

        var e = TimestepEmbedding.Sinusoidal(torch.tensor(new long[] { 1, 100 }), 8);

        // dim 8: h = 4, ω_i = exp(−ln(10000)·i/3) = 10000^(−i/3): 1, 0.0464158883, 0.0021544347, 0.0001.
        double[] omega = [1, 0.046415888336127795, 0.0021544346900318843, 1e-4];
        Assert.Equal(new long[] { 2, 8 }, e.shape);
        var got = e.data<float>().ToArray();
        for (int b = 0; b < 2; b++)
        {
            double t = b == 0 ? 1 : 100;
            for (int i = 0; i < 4; i++)
            {
                Assert.Equal(Math.Sin(t * omega[i]), got[b * 8 + i], 1e-5);
                Assert.Equal(Math.Cos(t * omega[i]), got[b * 8 + 4 + i], 1e-5);
            }
        }
        Assert.Equal(0.8414709848, got[0], 1e-6);      // sin(1·ω_0)
        Assert.Equal(-0.5063656411, got[8], 1e-5);     // sin(100·ω_0)
        Assert.Equal(0.8623188723, got[12], 1e-5);     // cos(100·ω_0)
        Assert.Equal(0.0099998333, got[11], 1e-6);     // sin(100·ω_3) = sin 0.01
    }

    [Fact]
    public void GivenTheDefaultWidth_WhenCountingLayers_ThenOneAttentionBlockAndEveryConvAndLinearIsPrunableAndRouted()
    {
        using var scope = torch.NewDisposeScope();
        var model = new UNet(new ModelSpec("unet", 1, 28, 28, 10));
        var modules = model.modules().ToList();
        int convs = modules.OfType<Conv2d>().Count(), linears = modules.OfType<Linear>().Count();
        long parameters = model.parameters().Sum(p => p.numel());
        var prunable = PrunableParameters.Of(model);
        output.WriteLine($"U-Net (width 1, 1x28x28): {convs} Conv2d, {linears} Linear, {parameters:N0} parameters, " +
            $"{prunable.Sum(p => p.Weight.numel()):N0} of them in prunable weights");

        Assert.Single(modules.OfType<UNetAttention>());
        Assert.Equal(30, convs);
        Assert.Equal(10, linears);
        Assert.Equal(convs + linears, prunable.Count);
        Assert.All(prunable, p => Assert.True(p.Weight.abs().sum().item<float>() > 0, $"{p.Name} is all zero"));

        var router = new CountingRouter();
        model.Router = router;
        model.call(DiffusionInput.Pack(torch.randn(2, 1, 28, 28), torch.tensor(new long[] { 3, 700 })));
        Assert.Equal(convs + linears, router.Seen.Count);
    }

    [Fact]
    public void GivenANewUNet_ThenEveryGroupNormStartsAtScaleOneAndShiftZero()
    {
        // TorchSharp 0.107's GroupNorm leaves its affine parameters uninitialized (NaN outputs, found in this model).
        using var scope = torch.NewDisposeScope();
        var model = new UNet(new ModelSpec("unet", 1, 28, 28, 10, WidthMultiplier: 0.25));
        var norms = model.modules().OfType<GroupNorm>().ToList();

        Assert.Equal(18, norms.Count);   // two in each of the 8 residual blocks, the attention's, the output's
        Assert.All(norms, n => Assert.True(n.weight!.eq(1).all().item<bool>() && n.bias!.eq(0).all().item<bool>()));
    }

    [Fact]
    public void GivenOneBackward_ThenEveryParameterGetsAFiniteNonZeroGradient()
    {
        using var scope = torch.NewDisposeScope();
        var model = new UNet(new ModelSpec("unet", 3, 32, 32, 10, WidthMultiplier: 0.25));
        var x0 = torch.rand(2, 3, 32, 32) * 2 - 1;

        DiffusionInput.SimpleLoss(model, x0, torch.tensor(new long[] { 5, 900 }), torch.randn(2, 3, 32, 32), new NoiseSchedule().AlphaBars()).backward();

        foreach (var (name, p) in model.named_parameters())
        {
            Assert.NotNull(p.grad);
            Assert.True(torch.isfinite(p.grad!).all().item<bool>(), $"'{name}' has a non-finite gradient");
            Assert.True(p.grad!.abs().sum().item<float>() > 0, $"'{name}' has an all-zero gradient");
        }
    }

    [Fact]
    public void GivenOneSmallBatch_WhenAdamTakes30Steps_ThenTheSimpleLossFallsByMoreThanHalf()
    {
        using var scope = torch.NewDisposeScope();
        var model = new UNet(new ModelSpec("unet", 1, 28, 28, 10, WidthMultiplier: 0.5));
        var alphaBar = new NoiseSchedule().AlphaBars();
        var x0 = torch.rand(8, 1, 28, 28) * 2 - 1;
        var t = DiffusionInput.DrawSteps(8, 1000);
        var eps = torch.randn(8, 1, 28, 28);
        using var adam = torch.optim.Adam(model.parameters(), lr: 2e-3);
        model.train();

        var losses = new List<double>();
        for (int step = 0; step < 30; step++)
        {
            using var stepScope = torch.NewDisposeScope();
            adam.zero_grad();
            var loss = DiffusionInput.SimpleLoss(model, x0, t, eps, alphaBar);
            loss.backward();
            adam.step();
            losses.Add(loss.item<float>());
        }
        output.WriteLine($"L_simple over 30 Adam steps: {string.Join(", ", losses.Select(l => l.ToString("F3")))}");

        Assert.True(losses[^1] < 0.5 * losses[0], $"the loss went from {losses[0]} to {losses[^1]}");
    }

    private sealed class CountingRouter : ILayerRouter
    {
        public HashSet<nn.Module> Seen { get; } = [];
        public Tensor? Forward(Linear layer, Tensor input) { Seen.Add(layer); return null; }
        public Tensor? Forward(Conv2d layer, Tensor input) { Seen.Add(layer); return null; }
    }
}
