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
