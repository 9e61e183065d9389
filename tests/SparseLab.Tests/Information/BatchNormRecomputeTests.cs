// "recompute" against a hand computation: at α the first BatchNorm's running
// mean must be the mean of conv(θ(α)) over the training inputs, its running
// variance the average of the per-batch unbiased variances, both in float64.
using SparseLab.Data;
using SparseLab.Information;
using TorchSharp;
using static TorchSharp.torch;

namespace SparseLab.Tests.Information;

public sealed class BatchNormRecomputeTests
{
    [Fact]
    public void Given_a_conv_batchnorm_net_When_statistics_are_recomputed_at_an_alpha_Then_they_match_the_first_layer_activations()
    {
        using var data = PathTestKit.TinyData();   // 64 training examples: 4 batches of 16
        using var modelA = PathTestKit.ConvBn(1, data);
        using var modelB = PathTestKit.ConvBn(2, data);
        using var a = StateSource.FromModel(modelA, "A");
        using var b = StateSource.FromModel(modelB, "B");
        using var scratch = new TinyConvBnNet();
        const double alpha = 0.3;
        var options = new PathOptions(BatchSize: 16, BnBatches: 200, Seed: 5);

        LinearPath.Apply(scratch, a, b, alpha, null, data.Train, data.Info, options, CPU);

        using var scope = torch.NewDisposeScope();
        var w = Line(a, b, "conv.weight", alpha);   // (3, 1, 3, 3) float64
        var bias = Line(a, b, "conv.bias", alpha);  // (3)
        // All training inputs, normalized by hand: (pixel / 255 − 0.5) / 0.5 for the synthetic set.
        var x = data.Train.Images.to(ScalarType.Float64).div(255).sub(0.5).div(0.5);                  // (64, 1, 28, 28)
        var activations = nn.functional.conv2d(x, w, bias);                                            // (64, 3, 26, 26)
        var expectedMean = activations.mean([0, 2, 3]);                                                // (3)
        Assert.True(PathTestKit.Named(scratch, "bn.running_mean").to(ScalarType.Float64).allclose(expectedMean, rtol: 1e-5, atol: 1e-5));

        // The variance averages the batches' own unbiased variances: replay the same 4 batches.
        var loader = new BatchLoader(data.Train, data.Info, 16, train: true, CPU);
        var sumVar = torch.zeros(3, dtype: ScalarType.Float64);
        for (int i = 0; i < 4; i++)
        {
            var act = nn.functional.conv2d(loader.Batch(5, 0, i).Input.to(ScalarType.Float64), w, bias);   // (16, 3, 26, 26)
            var centered = act.sub(act.mean([0, 2, 3], keepdim: true));
            sumVar.add_(centered.square().sum([0, 2, 3]).div(act.numel() / 3 - 1));
        }
        Assert.True(PathTestKit.Named(scratch, "bn.running_var").to(ScalarType.Float64).allclose(sumVar.div(4), rtol: 1e-5, atol: 1e-6));
        Assert.Equal(4L, PathTestKit.Named(scratch, "bn.num_batches_tracked").item<long>());
        Assert.False(scratch.training);
    }

    [Fact]
    public void Given_recompute_When_alpha_is_1_Then_statistics_differ_from_copying_B_but_the_weights_are_B()
    {
        using var data = PathTestKit.TinyData();
        using var modelA = PathTestKit.ConvBn(1, data);
        using var modelB = PathTestKit.ConvBn(2, data);
        using var a = StateSource.FromModel(modelA, "A");
        using var b = StateSource.FromModel(modelB, "B");
        using var scratch = new TinyConvBnNet();

        LinearPath.Apply(scratch, a, b, 1.0, null, data.Train, data.Info, new PathOptions(BatchSize: 16), CPU);

        Assert.True(PathTestKit.Same(PathTestKit.Named(scratch, "conv.weight"), b.Parameters["conv.weight"]));
        Assert.False(PathTestKit.Same(PathTestKit.Named(scratch, "bn.running_mean"), b.Buffers["bn.running_mean"]));
    }

    private static Tensor Line(StateSource a, StateSource b, string name, double alpha) =>
        a.Parameters[name].to(ScalarType.Float64).mul(1 - alpha).add(b.Parameters[name].to(ScalarType.Float64).mul(alpha));
}
