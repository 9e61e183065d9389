// The exact per-example true Fisher, Σ_c p_c ‖∇ log p_c‖² (METHODS §6): equal to a
// naive loop (one backward per example and class), and the sampled estimate
// (ŷ ~ p_θ, M draws) converges to it as M grows.
using SparseLab.Information;
using TorchSharp;
using static TorchSharp.torch;

namespace SparseLab.Tests.Information.Fisher;

public sealed class ExactFisherTests
{
    [Fact]
    public void Given_a_model_Then_the_exact_score_equals_a_per_example_per_class_loop()
    {
        var model = FisherTestKit.Model("mlp");
        FisherTestKit.Perturb(model);
        var (data, info) = FisherTestKit.Images(9);
        using var _ = data;
        var exact = FisherProbe.ExactScores(model, data, info, null, 9, batchSize: 4, CPU);

        var loader = new SparseLab.Data.BatchLoader(data, info, 9, train: false, CPU);
        var (x, _) = loader.Batch(0, 0, 0);
        model.eval();
        double[] p;
        using (torch.no_grad()) p = nn.functional.softmax(model.call(x).to(ScalarType.Float64), 1).data<double>().ToArray();
        for (int n = 0; n < 9; n++)
        {
            double expected = 0;
            for (int c = 0; c < info.NumClasses; c++)
            {
                var norms = PerExampleGradients.Naive(model, x.narrow(0, n, 1), torch.tensor(new long[] { c }), null);
                expected += p[n * info.NumClasses + c] * norms.Values.Sum(t => t.item<double>());
            }
            Assert.Equal(expected, exact[n], expected * 1e-5);
        }
    }

    [Fact]
    public void Given_more_and_more_draws_Then_the_sampled_true_fisher_converges_to_the_exact_one()
    {
        var model = FisherTestKit.Model("mlp");
        FisherTestKit.Perturb(model);
        var (data, info) = FisherTestKit.Images(16);
        using var _ = data;
        double exact = FisherProbe.ExactScores(model, data, info, null, 16, 16, CPU).Average();
        double Error(int draws) =>
            Math.Abs(FisherProbe.Scores(model, data, info, null, new FisherOptions(16, draws, 16, Seed: 5), CPU).True.Average() - exact) / exact;
        double few = Error(1), many = Error(400);
        Assert.True(many < 0.05, $"400 draws are {many:P1} from the exact expectation");
        Assert.True(many < few, $"400 draws ({many:P1}) should be closer than 1 ({few:P1})");
    }
}
