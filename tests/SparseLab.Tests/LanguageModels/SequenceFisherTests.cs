// Per-sequence Fisher of a GPT (Information/SequenceFisher.cs, METHODS §6 with
// a sequence axis): the one-backward per-window norms of every Linear layer
// equal a naive loop of one backward per window (autograd on the summed loss
// of its tokens), with and without a mask; the trace is the mean of the
// per-window scores and the per-layer traces add up to it.
using SparseLab.Data;
using SparseLab.Information;
using SparseLab.Models;
using SparseLab.Sparsity;
using TorchSharp;
using static TorchSharp.torch;

namespace SparseLab.Tests.LanguageModels;

public sealed class SequenceFisherTests
{
    private static nn.Module<Tensor, Tensor> TinyGpt()
    {
        torch.manual_seed(5);
        return ModelRegistry.Create(ModelSpec.For(new ModelConfig { Name = "gpt", NLayer = 2, NHead = 2, NEmbd = 16, BlockSize = 12 }, InputShape.Text(12)));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void GivenWindows_WhenFastAndNaiveMeasure_ThenEveryLinearLayerAndWindowAgreesTo1e4(bool masked)
    {
        using var model = TinyGpt();
        model.eval();
        using var mask = masked ? SparseLab.Tests.Information.Fisher.FisherTestKit.RandomMask(model) : null;
        byte[] text = System.Text.Encoding.ASCII.GetBytes(TinyTextRun.English(2000));
        var (x, y) = TextCorpus.Gather(text, [0, 100, 700, 1500], 12);
        var fast = PerExampleGradients.Fast(model, x, y, mask, linearOnly: true);
        Assert.Throws<NotSupportedException>(() => PerExampleGradients.Fast(model, x, y, mask));   // embeddings and LayerNorms are not Linear
        var naive = PerExampleGradients.Naive(model, x, y, mask, linearOnly: true);
        Assert.Equal(2 * 6, fast.Count);                                                  // q, k, v, proj, mlp_fc, mlp_proj per block
        foreach (var (layer, norms) in naive)
        {
            var f = fast[layer].data<double>().ToArray();
            var n = norms.data<double>().ToArray();
            for (int i = 0; i < n.Length; i++) Assert.True(Math.Abs(f[i] - n[i]) <= 1e-4 * Math.Max(1e-12, Math.Abs(n[i])), $"{layer} window {i}: fast {f[i]}, naive {n[i]}");
        }
    }

    [Fact]
    public void GivenAProbe_ThenTheTraceIsTheMeanOfTheWindowScoresAndTheLayersAddUp()
    {
        using var model = TinyGpt();
        byte[] text = System.Text.Encoding.ASCII.GetBytes(TinyTextRun.English(3000));
        var options = new FisherOptions(Samples: 10, Draws: 2, BatchSize: 4, Seed: 1);
        var trace = SequenceFisher.Measure(model, text, 12, null, options, CPU);
        var (starts, trueScores, empirical) = SequenceFisher.Scores(model, text, 12, null, options, CPU);
        Assert.Equal(10, starts.Length);
        Assert.Equal(10, trace.Samples);
        Assert.Equal(empirical.Average(), trace.Empirical, 9);
        Assert.Equal(trueScores.Average(), trace.True, 9);
        Assert.Equal(trace.Empirical, trace.PerLayer.Values.Sum(l => l.Empirical), 9);
        Assert.Equal(trace.True, SequenceFisher.Measure(model, text, 12, null, options, CPU).True, 12);   // seeded draws
    }
}
