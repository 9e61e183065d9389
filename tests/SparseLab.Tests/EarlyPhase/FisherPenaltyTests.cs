// The Fisher penalty (EarlyPhase/FisherPenalty): its gradient through the double backward pass against
// central finite differences on a tiny float64 MLP, with a mask; its value against a plain autograd
// gradient; the label draws seeded by (seed, step); nothing after t*.
using SparseLab.EarlyPhase;
using SparseLab.Sparsity;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace SparseLab.Tests.EarlyPhase;

public sealed class FisherPenaltyTests
{
    private static (nn.Module<Tensor, Tensor> Model, List<(string Name, Parameter Parameter)> Parameters, Mask Mask) TinyMlp()
    {
        torch.manual_seed(5);
        var model = nn.Sequential(("0", nn.Linear(4, 5)), ("1", nn.Tanh()), ("2", nn.Linear(5, 3)));
        model.to(ScalarType.Float64);
        List<(string Name, Parameter Parameter)> parameters = [.. model.named_parameters().Select(p => (p.name, p.parameter))];
        var keep = torch.tensor(new double[] { 1, 0, 1, 1, 0, 1, 1, 1, 0, 1, 1, 0, 1, 1, 1, 0, 1, 1, 1, 1 }).reshape(5, 4);
        var mask = new Mask(new Dictionary<string, Tensor> { ["0.weight"] = keep });
        using (torch.no_grad()) parameters.Single(p => p.Name == "0.weight").Parameter.mul_(keep);   // as training keeps it
        return (model, parameters, mask);
    }

    [Fact]
    public void Given_a_tiny_mlp_Then_the_penalty_gradient_matches_central_finite_differences()
    {
        using var scope = torch.NewDisposeScope();
        var (model, parameters, mask) = TinyMlp();
        var x = torch.randn(6, 4, dtype: ScalarType.Float64);
        var labels = torch.tensor(new long[] { 0, 2, 1, 1, 0, 2 });   // ŷ held fixed: the draw is not differentiated
        double Penalty() => FisherPenalty.SquaredGradientNorm(model.call(x), labels, parameters, mask).item<double>();

        var p = FisherPenalty.SquaredGradientNorm(model.call(x), labels, parameters, mask);
        var grads = torch.autograd.grad([p], [.. parameters.Select(q => (Tensor)q.Parameter)]);
        const double h = 1e-5;
        int checkedCoordinates = 0;
        for (int k = 0; k < parameters.Count; k++)
        {
            var w = parameters[k].Parameter;
            var flat = grads[k].reshape(-1).data<double>().ToArray();
            for (long i = 0; i < w.numel(); i++)
            {
                if (parameters[k].Name == "0.weight" && mask["0.weight"].reshape(-1)[i].item<float>() == 0) continue;   // pruned: not a parameter of the sparse net
                double Shifted(double by)
                {
                    using (torch.no_grad()) w.view(-1)[i] += by;
                    double v = Penalty();
                    using (torch.no_grad()) w.view(-1)[i] -= by;
                    return v;
                }
                double fd = (Shifted(h) - Shifted(-h)) / (2 * h);
                Assert.True(Math.Abs(fd - flat[i]) <= 1e-6 + 1e-5 * Math.Abs(fd), $"{parameters[k].Name}[{i}]: finite differences {fd}, autograd {flat[i]}");
                checkedCoordinates++;
            }
        }
        Assert.Equal(43 - 5, checkedCoordinates);
    }

    [Fact]
    public void Given_labels_Then_the_penalty_is_the_squared_norm_of_the_masked_batch_gradient()
    {
        using var scope = torch.NewDisposeScope();
        var (model, parameters, mask) = TinyMlp();
        var x = torch.randn(6, 4, dtype: ScalarType.Float64);
        var labels = torch.tensor(new long[] { 2, 2, 0, 1, 0, 1 });
        var g = torch.autograd.grad([nn.functional.cross_entropy(model.call(x), labels)], [.. parameters.Select(q => (Tensor)q.Parameter)]);
        double expected = parameters.Select((q, k) => (q.Name == "0.weight" ? g[k] * mask["0.weight"] : g[k]).square().sum().item<double>()).Sum();
        Assert.Equal(expected, FisherPenalty.SquaredGradientNorm(model.call(x), labels, parameters, mask).item<double>(), 1e-12);
        Assert.True(expected > 0);
    }

    [Fact]
    public void Given_the_same_generator_seed_Then_the_same_labels_are_drawn_from_the_model()
    {
        using var scope = torch.NewDisposeScope();
        var logits = torch.randn(50, 4);
        using var a = new Generator(9);
        using var b = new Generator(9);
        var ya = FisherPenalty.SampleLabels(logits, a);
        Assert.True(ya.eq(FisherPenalty.SampleLabels(logits, b)).all().item<bool>());
        Assert.Equal([50L], ya.shape);
        Assert.True(ya.ge(0).all().item<bool>() && ya.lt(4).all().item<bool>());
        var confident = torch.zeros(20, 4);
        confident[.., 2] = torch.tensor(50f);
        Assert.True(FisherPenalty.SampleLabels(confident, a).eq(2).all().item<bool>());   // the model's own prediction, not a label of the data
    }
}
