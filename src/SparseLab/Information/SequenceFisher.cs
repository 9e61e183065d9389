// Fisher information of a language model per sequence (METHODS §6 with a
// sequence axis): for a window x of the training text, log p(y|x) = Σ_t
// log p(y_t | x_≤t); the empirical Fisher takes the corpus' next bytes as y,
// the true Fisher samples every ŷ_t ~ p_θ(·|x_≤t) from the model (teacher
// forcing: the inputs stay the corpus' bytes). Per-window squared gradient
// norms come from one backward pass per label set, with the Linear formula
// ‖∇W_n‖² = Σ_{t,t'} (G_n G_nᵀ)_{tt'} (A_n A_nᵀ)_{tt'} (PerExampleNorms). Only
// the Linear layers count — the attention and MLP matrices that pruning
// touches, with their biases; the embeddings (and so the tied head) and the
// LayerNorms are left out. The probe is a fixed set of windows spread evenly
// over the training split; dropout is off (eval mode) and only private
// generators are drawn from.
using SparseLab.Data;
using SparseLab.Foundations;
using SparseLab.Sparsity;
using SparseLab.Sparsity.Criteria;
using TorchSharp;
using static TorchSharp.torch;

namespace SparseLab.Information;

public static class SequenceFisher
{
    private const long DrawStream = 0x44524157;    // "DRAW", as FisherProbe

    /// <summary>Trace = mean over the probe windows of ‖∇ log p(y|x)‖², per Linear layer and in total.</summary>
    public static FisherTrace Measure(nn.Module<Tensor, Tensor> model, byte[] train, int blockSize, Mask? mask, FisherOptions options, Device device)
    {
        var scores = Scores(model, train, blockSize, mask, options, device, out var perLayer);
        int n = scores.Empirical.Length;
        var layers = perLayer.ToDictionary(kv => kv.Key, kv => new LayerFisher(kv.Value.True / n, kv.Value.Empirical / n), StringComparer.Ordinal);
        return new FisherTrace(layers.Values.Sum(l => l.True), layers.Values.Sum(l => l.Empirical), layers, n);
    }

    /// <summary>Per-window scores of the probe windows (their start offsets in the training split): true (averaged over draws) and empirical.</summary>
    public static (int[] Starts, double[] True, double[] Empirical) Scores(nn.Module<Tensor, Tensor> model, byte[] train, int blockSize, Mask? mask,
        FisherOptions options, Device device) => Scores(model, train, blockSize, mask, options, device, out _);

    private static (int[] Starts, double[] True, double[] Empirical) Scores(nn.Module<Tensor, Tensor> model, byte[] train, int blockSize, Mask? mask,
        FisherOptions options, Device device, out Dictionary<string, (double True, double Empirical)> perLayer)
    {
        ArgumentNullException.ThrowIfNull(model);
        if (options.Samples < 1) throw new InvalidOptionException($"Fisher probe: {options.Samples} windows; use at least 1");
        if (options.Draws < 1) throw new InvalidOptionException($"Fisher probe: {options.Draws} label draws; use at least 1");
        if (options.Method != "fast") throw new InvalidOptionException($"Fisher probe: method '{options.Method}' for sequences; only fast is built (tests compare it with the naive loop)");
        var starts = TextCorpus.EvaluationStarts(train, blockSize, options.Samples);
        using var guard = new ModelStateGuard(model);
        model.eval();
        using var generator = new Generator(SeedMix.Mix(options.Seed, DrawStream), device);
        using var deviceMask = mask?.To(device);
        double[] trueScores = new double[starts.Length], empirical = new double[starts.Length];
        perLayer = new Dictionary<string, (double True, double Empirical)>(StringComparer.Ordinal);
        for (int b = 0; b < starts.Length; b += options.BatchSize)
        {
            using var scope = torch.NewDisposeScope();
            var batchStarts = starts[b..Math.Min(starts.Length, b + options.BatchSize)];
            var (x, y) = TextCorpus.Gather(train, batchStarts, blockSize);         // (B, T), (B, T)
            var targets = y.to(device);
            var sets = PerExampleGradients.FastMany(model, x.to(device), logits =>
            {
                var p = nn.functional.softmax(logits.to(ScalarType.Float64), -1).reshape(-1, logits.shape[^1]);   // (B·T, V)
                var drawn = torch.multinomial(p, options.Draws, replacement: true, generator: generator);        // (B·T, Draws)
                return [targets, .. Enumerable.Range(0, options.Draws).Select(d => drawn[.., d].reshape(targets.shape).contiguous())];
            }, deviceMask, linearOnly: true);
            Accumulate(sets[0], empirical, b, 1.0, perLayer, isTrue: false);
            foreach (var draw in sets.Skip(1)) Accumulate(draw, trueScores, b, 1.0 / options.Draws, perLayer, isTrue: true);
        }
        return (starts, trueScores, empirical);
    }

    private static void Accumulate(Dictionary<string, Tensor> norms, double[] scores, int start, double weight,
        Dictionary<string, (double True, double Empirical)> perLayer, bool isTrue)
    {
        foreach (var (layer, norm) in norms)
        {
            var v = norm.cpu().data<double>().ToArray();
            for (int i = 0; i < v.Length; i++) scores[start + i] += weight * v[i];
            double sum = v.Sum() * weight;
            var (t, e) = perLayer.GetValueOrDefault(layer);
            perLayer[layer] = isTrue ? (t + sum, e) : (t, e + sum);
        }
    }
}
