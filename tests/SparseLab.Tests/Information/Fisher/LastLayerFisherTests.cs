// The last layer's closed forms (METHODS §6): true Fisher trace (1 − Σ p²)(‖h‖² + 1) and empirical
// (1 − 2p_y + Σ p²)(‖h‖² + 1), against the naive per-example norm, the true one as the exact expectation
// Σ_c p_c ‖∇ log p_c‖² over the classes.
using SparseLab.Information;
using SparseLab.Sparsity;
using TorchSharp;
using static TorchSharp.torch;

namespace SparseLab.Tests.Information.Fisher;

public sealed class LastLayerFisherTests
{
    [Theory]
    [InlineData("lenet5", "fc3", false)]
    [InlineData("lenet5", "fc3", true)]
    [InlineData("resnet20", "fc", false)]
    public void GivenAClassifier_WhenTheClosedFormsAreComputed_ThenTheyMatchTheNaiveLastLayerNorms(string name, string last, bool masked)
    {
        using var scope = torch.NewDisposeScope();
        var model = FisherTestKit.Model(name);
        using var mask = masked ? FisherTestKit.RandomMask(model) : null;
        var x = FisherTestKit.Input(name, 3);
        var y = torch.tensor(new long[] { 2, 5, 7 });

        var (trueTrace, empirical) = PerExampleGradients.LastLayer(model, x, y, mask);

        double[] p;
        using (torch.no_grad()) p = FisherTestKit.Values(nn.functional.softmax(model.call(x), 1));
        var expectedTrue = new double[3];
        for (int c = 0; c < 10; c++)
        {
            var norms = FisherTestKit.Values(PerExampleGradients.Naive(model, x, torch.full(3, c, ScalarType.Int64), mask)[last]);
            for (int n = 0; n < 3; n++) expectedTrue[n] += p[n * 10 + c] * norms[n];
        }
        var expectedEmpirical = FisherTestKit.Values(PerExampleGradients.Naive(model, x, y, mask)[last]);
        var t = FisherTestKit.Values(trueTrace);
        var e = FisherTestKit.Values(empirical);
        for (int n = 0; n < 3; n++)
        {
            Assert.True(Math.Abs(t[n] - expectedTrue[n]) <= 1e-4 * expectedTrue[n], $"true, example {n}: {t[n]:R} vs {expectedTrue[n]:R}");
            Assert.True(Math.Abs(e[n] - expectedEmpirical[n]) <= 1e-4 * expectedEmpirical[n], $"empirical, example {n}: {e[n]:R} vs {expectedEmpirical[n]:R}");
        }
    }
}
