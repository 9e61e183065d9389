// FisherProbe (METHODS §6): per-layer traces sum to the totals, the measurement leaves the model and the global
// RNG stream as they were, a seed fixes the result, fast and naive agree, and too many samples is an error.
using SparseLab.Foundations;
using SparseLab.Information;
using SparseLab.Tests.Information;
using TorchSharp;
using static TorchSharp.torch;

namespace SparseLab.Tests.Information.Fisher;

public sealed class FisherProbeTests
{
    private static readonly FisherOptions Small = new(Samples: 12, Draws: 2, BatchSize: 5, Seed: 4);

    [Fact]
    public void GivenAProbeSet_WhenMeasured_ThenPerLayerValuesSumToTheTotals()
    {
        var model = FisherTestKit.Model("lenet5");
        var (data, info) = FisherTestKit.Images(30);
        using var _ = data;

        var trace = FisherProbe.Measure(model, data, info, null, Small, CPU);

        Assert.Equal(12, trace.Samples);
        Assert.Equal(["conv1", "conv2", "fc1", "fc2", "fc3"], trace.PerLayer.Keys.Order());
        Assert.Equal(trace.True, trace.PerLayer.Values.Sum(l => l.True), 10);
        Assert.Equal(trace.Empirical, trace.PerLayer.Values.Sum(l => l.Empirical), 10);
        Assert.True(trace.True > 0 && trace.Empirical > 0);
    }

    [Fact]
    public void GivenAModelInTrainingMode_WhenMeasured_ThenWeightsBuffersFlagsAndTheGlobalRngAreUnchanged()
    {
        torch.manual_seed(2);
        var model = new TinyConvBnNet();
        FisherTestKit.Perturb(model);
        model.train();
        var (data, info) = FisherTestKit.Images(30);
        using var _ = data;
        var before = model.state_dict().ToDictionary(kv => kv.Key, kv => kv.Value.clone());

        torch.manual_seed(99);
        var trace = FisherProbe.Measure(model, data, info, null, Small, CPU);
        var afterMeasuring = torch.rand(8);
        torch.manual_seed(99);
        var withoutMeasuring = torch.rand(8);

        Assert.True(trace.True > 0);
        Assert.True(afterMeasuring.eq(withoutMeasuring).all().item<bool>(), "the measurement drew from the global torch generator");
        foreach (var (key, value) in model.state_dict())
            Assert.True(value.eq(before[key]).all().item<bool>(), $"'{key}' changed");
        Assert.True(model.training);
        Assert.All(model.named_modules(), m => Assert.True(m.module.training, $"'{m.name}' left training mode"));
        Assert.All(model.parameters(), p => Assert.Null(p.grad));
    }

    [Fact]
    public void GivenTheSameSeed_WhenMeasuredTwice_ThenTheTracesAreEqual_AndNaiveAgreesWithFast()
    {
        var model = FisherTestKit.Model("lenet5");
        var (data, info) = FisherTestKit.Images(30);
        using var _ = data;
        using var mask = FisherTestKit.RandomMask(model);

        var first = FisherProbe.Measure(model, data, info, mask, Small, CPU);
        var second = FisherProbe.Measure(model, data, info, mask, Small, CPU);
        var naive = FisherProbe.Measure(model, data, info, mask, Small with { Method = "naive" }, CPU);
        var other = FisherProbe.Measure(model, data, info, mask, Small with { Seed = 5 }, CPU);

        Assert.Equal(first.True, second.True);
        Assert.Equal(first.Empirical, second.Empirical);
        Assert.Equal(first.True, naive.True, first.True * 1e-4);
        Assert.Equal(first.Empirical, naive.Empirical, first.Empirical * 1e-4);
        Assert.NotEqual(first.Empirical, other.Empirical);
    }

    [Fact]
    public void GivenMoreSamplesThanExamples_WhenMeasured_ThenAnOptionErrorNamesBothCounts()
    {
        var model = FisherTestKit.Model("mlp");
        var (data, info) = FisherTestKit.Images(10);
        using var _ = data;

        var error = Assert.ThrowsAny<InvalidOptionException>(() => FisherProbe.Measure(model, data, info, null, new FisherOptions(Samples: 11), CPU));

        Assert.Equal("Fisher probe: 11 samples asked for, but the training set has 10 examples", error.Message);
    }

    [Fact]
    public void GivenTheFirstExamples_WhenScored_ThenScoresFollowFileOrderAndMatchThePerExampleNorms()
    {
        var model = FisherTestKit.Model("lenet5");
        var (data, info) = FisherTestKit.Images(30);
        using var _ = data;
        using var scope = torch.NewDisposeScope();

        var scores = FisherProbe.Scores(model, data, info, null, Small, CPU);

        Assert.Equal(Enumerable.Range(0, 12).Select(i => (long)i), scores.Index);
        Assert.Equal(data.Labels.data<long>().Take(12), scores.Label);
        var (x, y) = new SparseLab.Data.BatchLoader(data, info, 12, train: false, CPU).Batch(0, 0, 0);
        var perLayer = PerExampleGradients.Naive(model, x, y, null);
        var total = FisherTestKit.Values(perLayer.Values.Aggregate((a, b) => a + b));
        var last = FisherTestKit.Values(perLayer["fc3"]);
        for (int n = 0; n < 12; n++)
        {
            Assert.Equal(total[n], scores.Empirical[n], total[n] * 1e-4);
            Assert.Equal(last[n], scores.LastLayerEmpirical[n], last[n] * 1e-4);
            Assert.True(scores.True[n] > 0 && scores.LastLayerTrue[n] > 0);
        }
    }
}
