// Autoregressive sampling from a byte-level language model (Radford et al.
// 2019; nanoGPT's generate): feed the last BlockSize tokens, divide the
// last position's logits by the temperature, keep the top k, sample from the
// softmax, append, repeat. Temperature 0 is greedy decoding (argmax). Draws
// come from a generator seeded by the caller, so a seed always gives the same
// text.
using SparseLab.Foundations;
using TorchSharp;
using static TorchSharp.torch;

namespace SparseLab.Models;

public sealed record SamplingOptions(int Tokens = 200, double Temperature = 0.8, int TopK = 0, long Seed = 1)
{
    public void Validate()
    {
        Check.That(Tokens >= 1, nameof(Tokens), $"must be at least 1, got {Tokens}");
        Check.That(Temperature >= 0 && double.IsFinite(Temperature), nameof(Temperature), $"must be 0 (greedy) or more, got {Check.Fmt(Temperature)}");
        Check.That(TopK >= 0 && TopK <= Data.TextCorpus.Vocabulary, nameof(TopK), $"must be 0 (every token) to {Data.TextCorpus.Vocabulary}, got {TopK}");
    }
}

public static class TextSampler
{
    /// <summary>The <paramref name="options"/>.Tokens bytes the model writes after <paramref name="prompt"/> (at least one byte).</summary>
    public static byte[] Continue(nn.Module<Tensor, Tensor> model, byte[] prompt, int blockSize, SamplingOptions options, Device device)
    {
        ArgumentNullException.ThrowIfNull(model);
        options.Validate();
        if (prompt.Length == 0) throw new ArgumentException("the prompt needs at least one byte");
        var generator = new torch.Generator((ulong)options.Seed, device);
        var tokens = new List<long>(prompt.Select(b => (long)b));
        bool wasTraining = model.training;
        model.eval();
        try
        {
            using var _ = torch.no_grad();
            for (int i = 0; i < options.Tokens; i++)
            {
                using var scope = torch.NewDisposeScope();
                var context = tokens.Skip(Math.Max(0, tokens.Count - blockSize)).ToArray();
                var logits = model.call(torch.tensor(context, [1, context.Length], device: device))[0, -1];   // (V)
                tokens.Add(Next(logits, options, generator));
            }
        }
        finally
        {
            model.train(wasTraining);
        }
        return [.. tokens.Skip(prompt.Length).Select(t => (byte)t)];
    }

    /// <summary>The next token from the last position's logits (V).</summary>
    public static long Next(Tensor logits, SamplingOptions options, torch.Generator generator)
    {
        if (options.Temperature == 0) return logits.argmax().item<long>();
        var scaled = logits / options.Temperature;
        if (options.TopK > 0 && options.TopK < scaled.shape[0])
        {
            var kth = scaled.topk(options.TopK).values[-1];
            scaled = scaled.masked_fill(scaled.lt(kth), double.NegativeInfinity);
        }
        return torch.multinomial(scaled.softmax(0), 1, generator: generator).item<long>();
    }
}
