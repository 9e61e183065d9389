// The solution probe's two new measures against independent computations: the
// mean prediction entropy against a hand loop over each example's softmax, and
// the Monte-Carlo true Fisher trace against its expectation computed naively,
// one backward pass per example and class (Σ_c p_c ‖∇θ log p_c‖², averaged over
// the examples), on a tiny MLP.
using SparseLab.Data;
using SparseLab.Information;
using SparseLab.Tests.Information.Fisher;
using TorchSharp;
using static TorchSharp.torch;

namespace SparseLab.Tests.Information;

public sealed class SolutionProbeTests
{
    public SolutionProbeTests() => SparseLab.Foundations.TorchRuntime.SetThreads(1);

    [Fact]
    public void GivenTinyMlp_WhenTheEntropyIsMeasured_ThenItIsTheMeanOfMinusSumPLogPOverTheExamples()
    {
        using var scope = NewDisposeScope();
        var model = CurvatureTestKit.Model();
        using var data = CurvatureTestKit.Data();

        double measured = PredictionEntropy.Mean(model, data, CurvatureTestKit.Info, batchSize: 5, CPU);

        var logits = CurvatureTestKit.Logits(CurvatureTestKit.Flat(model), CurvatureTestKit.Inputs(data, CurvatureTestKit.Count));   // (24, 3)
        double sum = 0;
        for (int n = 0; n < CurvatureTestKit.Count; n++)
        {
            double[] z = [.. Enumerable.Range(0, 3).Select(c => logits[n, c].item<double>())];
            double max = z.Max(), norm = z.Sum(v => Math.Exp(v - max));
            foreach (double v in z)
            {
                double p = Math.Exp(v - max) / norm;
                sum -= p * Math.Log(p);
            }
        }
        Assert.Equal(sum / CurvatureTestKit.Count, measured, 1e-7);   // the loader normalizes in float32
        Assert.InRange(measured, 0, Math.Log(3));
    }

    [Fact]
    public void GivenTinyMlp_WhenTheTrueFisherTraceIsMeasuredWithManyDraws_ThenItIsWithinMonteCarloNoiseOfTheNaiveExpectation()
    {
        using var scope = NewDisposeScope();
        var model = FisherTestKit.Model("mlp");
        var (data, info) = FisherTestKit.Images(16);
        using var _ = data;

        // Naive: one example, one class, one backward pass at a time.
        var (x, _) = new BatchLoader(data, info, 16, train: false, CPU).Batch(0, 0, 0);   // (16, 1, 28, 28), normalized as the probe sees them
        var parameters = model.parameters().ToArray();
        double expected = 0;
        for (int n = 0; n < 16; n++)
        {
            var logp = nn.functional.log_softmax(model.call(x.narrow(0, n, 1)).to(ScalarType.Float64), 1)[0];   // (10)
            for (int c = 0; c < 10; c++)
            {
                var grads = torch.autograd.grad([logp[c]], parameters, retain_graph: true);
                double squared = grads.Sum(g => g.to(ScalarType.Float64).pow(2).sum().item<double>());
                expected += Math.Exp(logp[c].item<double>()) * squared;
            }
        }
        expected /= 16;

        var measured = SolutionProbe.Measure(model, data, info, null, new CurvatureOptions(Samples: 16, BatchSize: 8, PowerIterations: 2, HutchinsonSamples: 1),
            fisherDraws: 400, CPU);

        Assert.Equal(16, measured.Samples);
        Assert.Equal(400, measured.FisherDraws);
        Assert.True(Math.Abs(measured.FisherTrace - expected) < 0.05 * expected, $"Monte Carlo {measured.FisherTrace}, naive expectation {expected}");
        Assert.Equal(PredictionEntropy.Mean(model, data, info, 16, CPU), measured.PredictionEntropy, 1e-9);
    }

    [Fact]
    public void GivenOneDraw_WhenMeasuredTwice_ThenTheFisherTraceIsTheSame_AndMoreSamplesThanExamplesAreCapped()
    {
        using var scope = NewDisposeScope();
        var model = FisherTestKit.Model("mlp");
        var (data, info) = FisherTestKit.Images(12);
        using var _ = data;
        var options = new CurvatureOptions(Samples: 50, BatchSize: 5, PowerIterations: 2, HutchinsonSamples: 1, Seed: 3);

        var first = SolutionProbe.Measure(model, data, info, null, options, 1, CPU);
        var second = SolutionProbe.Measure(model, data, info, null, options, 1, CPU);

        Assert.Equal(12, first.Samples);
        Assert.Equal(first.FisherTrace, second.FisherTrace);
        Assert.True(first.FisherTrace > 0);
    }
}
