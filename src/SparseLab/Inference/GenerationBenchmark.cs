// Generation speed of a GPT (tokens/s of greedy decoding from a newline, the
// whole window re-run for every token, as Models/TextSampler does): libtorch
// with the dense weights, libtorch with the weights pruned to a sparsity by
// magnitude (per layer), and the same pruned weights on the CSR kernel
// (CsrLayerRouter) — one process, one thread count, the same tokens asked for.
// The two pruned runs must write the same text; the maximum relative
// difference of their logits on one window is reported beside the speeds.
using System.Diagnostics;
using SparseLab.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace SparseLab.Inference;

/// <param name="Sparsity">Measured over the Linear weights after pruning.</param>
public sealed record GenerationCase(int Tokens, int Threads, double Sparsity, double DenseTokensPerS, double PrunedTorchTokensPerS,
    double SparseTokensPerS, double SameText, double MaxRelError)
{
    public double Speedup => SparseTokensPerS / DenseTokensPerS;
}

public static class GenerationBenchmark
{
    /// <param name="model">A GPT (RoutedModule) on the CPU; its Linear weights are pruned in place.</param>
    public static GenerationCase Measure(RoutedModule model, int blockSize, double sparsity, int tokens, int threads)
    {
        var greedy = new SamplingOptions(Tokens: tokens, Temperature: 0);
        byte[] prompt = "\n"u8.ToArray();
        double TokensPerS(out byte[] text)
        {
            TextSampler.Continue(model, prompt, blockSize, greedy with { Tokens = Math.Min(16, tokens) }, CPU);   // warm-up
            var clock = Stopwatch.StartNew();
            text = TextSampler.Continue(model, prompt, blockSize, greedy, CPU);
            return tokens / clock.Elapsed.TotalSeconds;
        }

        double dense = TokensPerS(out _);
        Prune(model, sparsity);
        double measured = Sparsity.PrunableParameters.Measure(model).Sparsity;
        double prunedTorch = TokensPerS(out var expected);
        using var window = torch.tensor(expected.Take(blockSize).Select(b => (long)b).ToArray(), [1, Math.Min(blockSize, expected.Length)]);
        using var reference = Forward(model, window);
        model.Router = new CsrLayerRouter(model, threads);
        try
        {
            double sparse = TokensPerS(out var text);
            using var ours = Forward(model, window);
            double maxRef = reference.abs().max().item<float>();
            double error = ours.sub(reference).abs().max().item<float>() / maxRef;
            double same = expected.Zip(text).Count(p => p.First == p.Second) / (double)tokens;
            return new GenerationCase(tokens, threads, measured, dense, prunedTorch, sparse, same, error);
        }
        finally
        {
            model.Router = null;
        }
    }

    private static Tensor Forward(RoutedModule model, Tensor tokens)
    {
        using var _ = torch.no_grad();
        model.eval();
        return model.call(tokens);
    }

    /// <summary>Zeroes the smallest-magnitude fraction <paramref name="sparsity"/> of every Linear weight (per layer).</summary>
    private static void Prune(nn.Module model, double sparsity)
    {
        using var _ = torch.no_grad();
        foreach (var (_, w) in Sparsity.PrunableParameters.Of(model))
        {
            long k = (long)Math.Round(sparsity * w.numel());
            if (k == 0) continue;
            var threshold = w.abs().flatten().sort().Values[k - 1];
            w.masked_fill_(w.abs().le(threshold), 0);
        }
    }
}
