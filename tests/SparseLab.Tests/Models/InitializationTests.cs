// --init: each scheme's weights and biases have the spread its formula gives
// (checked on mlp's 784→300 layer, 235,200 draws: the sample variance is within
// 3 % of the formula) and the bounds a uniform scheme must respect.
using SparseLab.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace SparseLab.Tests.Models;

public sealed class InitializationTests
{
    private static (Tensor W, Tensor B) Fc1(string init)
    {
        torch.manual_seed(3);
        var model = ModelRegistry.Create(new ModelSpec("mlp", 1, 28, 28, 10, Init: init));
        var p = model.named_parameters().ToDictionary(x => x.name, x => x.parameter);
        return (p["fc1.weight"].detach().clone(), p["fc1.bias"].detach().clone());
    }

    [Theory]
    [InlineData("kaiming-normal", 2.0 / 784, double.PositiveInfinity, false)]
    [InlineData("kaiming-uniform", 2.0 / 784, 0.08748177652797065, false)]       // √(6/784)
    [InlineData("pytorch-default", 1.0 / (3 * 784), 0.03571428571428571, true)]  // 1/√784, variance bound²/3
    public void Given_a_scheme_Then_weights_have_its_variance_and_bound_and_biases_its_rule(string init, double variance, double bound, bool biases)
    {
        var (w, b) = Fc1(init);
        Assert.InRange(w.var().item<float>(), 0.97 * variance, 1.03 * variance);
        Assert.True(w.abs().max().item<float>() <= bound * (1 + 1e-6));
        if (biases)
        {
            Assert.True(b.abs().max().item<float>() <= bound * (1 + 1e-6));
            Assert.True(b.abs().max().item<float>() > bound / 2);                     // drawn, not zero
        }
        else Assert.Equal(0f, b.abs().max().item<float>());
    }

    [Fact]
    public void Given_the_default_Then_it_is_kaiming_normal_and_keeps_every_existing_hash() =>
        Assert.Equal("", SparseLab.Foundations.ConfigHash.Canonical(new SparseLab.Training.TrainConfig { Model = new() { Init = "kaiming-normal" } }));
}

public sealed class SeedInitializationTests
{
    // The seed code's init_weights_kaiming (helper/utils.py): Kaiming-normal with mode='fan_out' for every layer but
    // the classifier (fc1: fan_out 300 → variance 2/300), zero biases, the classifier N(0, 0.01²) with a zero bias.
    [Fact]
    public void Given_kaiming_fan_out_Then_layers_use_fan_out_and_the_classifier_is_normal_0_01()
    {
        torch.manual_seed(3);
        var model = ModelRegistry.Create(new ModelSpec("mlp", 1, 28, 28, 10, Init: Initialization.FanOut));
        var p = model.named_parameters().ToDictionary(x => x.name, x => x.parameter.detach().clone());
        Assert.InRange(p["fc1.weight"].var().item<float>(), 0.97 * 2.0 / 300, 1.03 * 2.0 / 300);
        Assert.InRange(p["fc2.weight"].var().item<float>(), 0.9 * 2.0 / 100, 1.1 * 2.0 / 100);
        Assert.InRange(p["fc3.weight"].std().item<float>(), 0.009, 0.011);
        foreach (var b in new[] { "fc1.bias", "fc2.bias", "fc3.bias" }) Assert.Equal(0f, p[b].abs().max().item<float>());
    }

    [Fact]
    public void Given_kaiming_fan_out_on_a_resnet_Then_the_classifier_is_the_layer_drawn_at_0_01()
    {
        torch.manual_seed(3);
        var model = ModelRegistry.Create(new ModelSpec("resnet20", 3, 32, 32, 100, Init: Initialization.FanOut));
        var linear = model.modules().OfType<TorchSharp.Modules.Linear>().Single();
        Assert.InRange(linear.weight!.std().item<float>(), 0.009, 0.011);
        var conv = model.modules().OfType<TorchSharp.Modules.Conv2d>().First();   // 3→16, 3×3: fan_out 16·9
        Assert.InRange(conv.weight!.var().item<float>(), 0.7 * 2.0 / 144, 1.3 * 2.0 / 144);
    }
}
