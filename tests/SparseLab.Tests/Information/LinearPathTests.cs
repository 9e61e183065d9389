// LinearPath against references computed another way: Evaluator on the end
// networks, the parameter average by hand, and masked weights counted directly.
using SparseLab.Information;
using SparseLab.Sparsity;
using TorchSharp;
using static TorchSharp.torch;

namespace SparseLab.Tests.Information;

public sealed class LinearPathTests
{
    [Fact]
    public void Given_two_mlps_without_batchnorm_When_the_path_is_evaluated_with_recompute_Then_alpha_0_and_1_equal_the_end_networks_exactly()
    {
        using var data = PathTestKit.TinyData();
        using var a = PathTestKit.MlpState(1);
        using var b = PathTestKit.MlpState(2);
        using var scratch = PathTestKit.Mlp(3);

        var points = LinearPath.Evaluate(scratch, a, b, null, data, new PathOptions(BatchSize: 32), CPU);

        Assert.Equal(29, points.Count);
        using var reference = PathTestKit.Mlp(4);
        foreach (var (alpha, end) in new[] { (0.0, a), (1.0, b) })
        {
            PathTestKit.Load(reference, end);
            var (train, test) = PathTestKit.Evaluate(reference, data, 32);
            var p = points.Single(q => q.Alpha == alpha);
            Assert.Equal(train.Loss, p.TrainLoss);
            Assert.Equal(train.Accuracy, p.TrainAccuracy);
            Assert.Equal(test.Loss, p.TestLoss);
            Assert.Equal(test.Accuracy, p.TestAccuracy);
        }
        Assert.NotEqual(points[0].TrainLoss, points[^1].TrainLoss);
    }

    [Fact]
    public void Given_batchnorm_nets_When_the_path_copies_statistics_Then_alpha_1_equals_network_B()
    {
        using var data = PathTestKit.TinyData();
        using var modelA = PathTestKit.ConvBn(1, data);
        using var modelB = PathTestKit.ConvBn(2, data);
        using var a = StateSource.FromModel(modelA, "A");
        using var b = StateSource.FromModel(modelB, "B");
        using var scratch = new TinyConvBnNet();

        var points = LinearPath.Evaluate(scratch, a, b, null, data, new PathOptions(Points: 3, AlphaMin: 0, AlphaMax: 1, BatchNorm: "copy", BatchSize: 16), CPU);

        var (train, test) = PathTestKit.Evaluate(modelB, data, 16);
        Assert.Equal(new[] { 0.0, 0.5, 1.0 }, points.Select(p => p.Alpha));
        Assert.Equal(train.Loss, points[2].TrainLoss);
        Assert.Equal(train.Accuracy, points[2].TrainAccuracy);
        Assert.Equal(test.Loss, points[2].TestLoss);
        Assert.Equal(test.Accuracy, points[2].TestAccuracy);
    }

    [Fact]
    public void Given_two_networks_When_alpha_is_one_half_Then_every_parameter_of_the_model_is_the_average()
    {
        using var data = PathTestKit.TinyData();
        using var a = PathTestKit.MlpState(1);
        using var b = PathTestKit.MlpState(2);
        using var scratch = PathTestKit.Mlp(3);

        LinearPath.Apply(scratch, a, b, 0.5, null, data.Train, data.Info, new PathOptions(), CPU);

        int checkedCount = 0;
        foreach (var (name, p) in scratch.named_parameters())
        {
            var average = a.Parameters[name].add(b.Parameters[name]).div(2);
            Assert.True(p.detach().allclose(average, rtol: 1e-6, atol: 1e-7), name);
            checkedCount++;
        }
        Assert.Equal(6, checkedCount);
        Assert.False(scratch.training);
    }

    [Fact]
    public void Given_a_mask_When_interpolating_at_every_alpha_Then_masked_weights_are_exactly_zero_and_the_rest_follow_the_line()
    {
        using var a = PathTestKit.MlpState(1);
        using var b = PathTestKit.MlpState(2);
        using var generator = new Generator(7);
        using var mask = new Mask(new Dictionary<string, Tensor>
        {
            ["fc1.weight"] = torch.rand(a.Parameters["fc1.weight"].shape, generator: generator).gt(0.5).to(ScalarType.Float32),
            ["fc2.weight"] = torch.rand(a.Parameters["fc2.weight"].shape, generator: generator).gt(0.8).to(ScalarType.Float32),
        });

        foreach (double alpha in new PathOptions().Alphas())
        {
            using var scope = torch.NewDisposeScope();
            var masked = LinearPath.Interpolate(a, b, alpha, mask);
            var plain = LinearPath.Interpolate(a, b, alpha, null);
            foreach (var name in mask.Names)
            {
                var m = mask[name];
                Assert.Equal(0L, masked[name].masked_select(m.eq(0)).count_nonzero().item<long>());
                Assert.True(PathTestKit.Same(masked[name].masked_select(m.eq(1)), plain[name].masked_select(m.eq(1))), $"{name} at α = {alpha}");
            }
            Assert.True(PathTestKit.Same(masked["fc3.weight"], plain["fc3.weight"]));
            Assert.True(PathTestKit.Same(masked["fc1.bias"], plain["fc1.bias"]));
        }
    }

    [Fact]
    public void Given_a_scratch_model_When_the_path_is_evaluated_Then_its_weights_statistics_and_mode_are_put_back()
    {
        using var data = PathTestKit.TinyData();
        using var modelA = PathTestKit.ConvBn(1, data);
        using var modelB = PathTestKit.ConvBn(2, data);
        using var a = StateSource.FromModel(modelA, "A");
        using var b = StateSource.FromModel(modelB, "B");
        using var scratch = PathTestKit.ConvBn(3, data);
        scratch.train();
        using var before = StateSource.FromModel(scratch, "before");

        LinearPath.Evaluate(scratch, a, b, null, data, new PathOptions(Points: 4, BatchSize: 16), CPU);

        using var after = StateSource.FromModel(scratch, "after");
        foreach (var (name, t) in before.Parameters.Concat(before.Buffers))
            Assert.True(PathTestKit.Same(t, after.Parameters.GetValueOrDefault(name) ?? after.Buffers[name]), name);
        Assert.True(scratch.training);
    }
}
