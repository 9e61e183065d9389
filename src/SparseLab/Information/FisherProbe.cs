// Measures the trace of the true and the empirical Fisher information (METHODS §6) on a fixed, seeded probe set of
// training examples, per layer and in total, and per-example Fisher scores. BatchNorm runs in eval mode; the model's
// weights, buffers and training flags are restored afterwards, and only private generators are drawn from, so the
// global torch RNG stream is untouched.
using SparseLab.Data;
using SparseLab.Foundations;
using SparseLab.Sparsity;
using SparseLab.Sparsity.Criteria;
using TorchSharp;
using static TorchSharp.torch;

namespace SparseLab.Information;

public static class FisherProbe
{
    private const long ProbeStream = 0x46495348;   // "FISH": separates the probe permutation from the label draws
    private const long DrawStream = 0x44524157;    // "DRAW"

    /// <summary>
    /// Trace = mean over the probe set (the first Samples examples of a permutation seeded by Seed) of
    /// ‖∇ log p(y|x)‖²; empirical with the dataset label, true with ŷ ~ softmax f(x) (Draws draws, averaged).
    /// </summary>
    public static FisherTrace Measure(nn.Module<Tensor, Tensor> model, Dataset train, DatasetInfo info, Mask? mask, FisherOptions options, Device device)
    {
        Check(model, train, options);
        using var guard = new ModelStateGuard(model);
        model.eval();
        using var probe = ProbeSet(train, options);
        var sums = new Dictionary<string, (double True, double Empirical)>(StringComparer.Ordinal);
        var loader = new BatchLoader(probe, info, options.BatchSize, train: false, device);
        using var generator = new Generator(SeedMix.Mix(options.Seed, DrawStream), device);
        using var deviceMask = mask?.To(device);
        for (int b = 0; b < loader.BatchesPerEpoch; b++)
        {
            using var scope = torch.NewDisposeScope();
            var (x, y) = loader.Batch(options.Seed, 0, b);                              // (B, C, H, W), (B)
            var (empirical, drawn) = PerExampleSets(model, x, y, deviceMask, options, generator);
            foreach (var (layer, norm) in empirical)
                sums[layer] = (sums.GetValueOrDefault(layer).True, sums.GetValueOrDefault(layer).Empirical + norm.sum().item<double>());
            foreach (var draw in drawn)
                foreach (var (layer, norm) in draw)
                    sums[layer] = (sums[layer].True + norm.sum().item<double>(), sums[layer].Empirical);
        }
        int n = (int)probe.Count;
        var perLayer = sums.ToDictionary(kv => kv.Key, kv => new LayerFisher(kv.Value.True / ((double)n * options.Draws), kv.Value.Empirical / n), StringComparer.Ordinal);
        return new FisherTrace(perLayer.Values.Sum(l => l.True), perLayer.Values.Sum(l => l.Empirical), perLayer, n);
    }

    /// <summary>
    /// The exact true Fisher of each example, E_{c ~ p_θ(·|x)} ‖∇ log p_θ(c|x)‖² = Σ_c p_c ‖∇ log p_c‖² (METHODS §6), of the
    /// first <paramref name="n"/> training examples in file order: one forward and one backward per class, batched, no sampling.
    /// </summary>
    public static double[] ExactScores(nn.Module<Tensor, Tensor> model, Dataset train, DatasetInfo info, Mask? mask, int n, int batchSize, Device device)
    {
        using var guard = new ModelStateGuard(model);
        model.eval();
        using var probe = train.Slice(0, n);
        var scores = new double[n];
        var loader = new BatchLoader(probe, info, batchSize, train: false, device);
        using var deviceMask = mask?.To(device);
        for (int b = 0, start = 0; b < loader.BatchesPerEpoch; b++)
        {
            using var scope = torch.NewDisposeScope();
            var (x, _) = loader.Batch(0, 0, b);                                                       // (B, C, H, W)
            Tensor p = null!;
            var perClass = PerExampleGradients.FastMany(model, x, logits =>
            {
                p = nn.functional.softmax(logits.to(ScalarType.Float64), 1).MoveToOuterDisposeScope();   // (B, classes), kept past FastMany
                return [.. Enumerable.Range(0, (int)logits.shape[1]).Select(c => torch.full([logits.shape[0]], c, ScalarType.Int64, device))];
            }, deviceMask);
            var exact = torch.zeros([x.shape[0]], ScalarType.Float64, device);
            for (int c = 0; c < perClass.Count; c++) exact += p[.., c] * Total(perClass[c]);
            var v = exact.cpu().data<double>().ToArray();
            v.CopyTo(scores, start);
            start += v.Length;
        }
        return scores;
    }

    /// <summary>Per-example scores of the first Samples training examples in file order.</summary>
    public static ExampleFisher Scores(nn.Module<Tensor, Tensor> model, Dataset train, DatasetInfo info, Mask? mask, FisherOptions options, Device device)
    {
        Check(model, train, options);
        using var guard = new ModelStateGuard(model);
        model.eval();
        using var probe = train.Slice(0, options.Samples);
        int n = options.Samples;
        double[] trueScore = new double[n], empirical = new double[n], lastTrue = new double[n], lastEmpirical = new double[n];
        var loader = new BatchLoader(probe, info, options.BatchSize, train: false, device);
        using var generator = new Generator(SeedMix.Mix(options.Seed, DrawStream), device);
        using var deviceMask = mask?.To(device);
        for (int b = 0, start = 0; b < loader.BatchesPerEpoch; b++)
        {
            using var scope = torch.NewDisposeScope();
            var (x, y) = loader.Batch(options.Seed, 0, b);
            int size = (int)x.shape[0];
            var (emp, drawn) = PerExampleSets(model, x, y, deviceMask, options, generator);
            Add(empirical, start, Total(emp), 1.0);
            foreach (var draw in drawn)
                Add(trueScore, start, Total(draw), 1.0 / options.Draws);
            var (lt, le) = PerExampleGradients.LastLayer(model, x, y, deviceMask);
            Add(lastTrue, start, lt, 1.0);
            Add(lastEmpirical, start, le, 1.0);
            start += size;
        }
        var labels = probe.Labels.data<long>().ToArray();
        return new ExampleFisher([.. Enumerable.Range(0, n).Select(i => (long)i)], labels, trueScore, empirical, lastTrue, lastEmpirical);
    }

    private static void Check(nn.Module<Tensor, Tensor> model, Dataset train, FisherOptions options)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(train);
        ArgumentNullException.ThrowIfNull(options);
        if (options.Samples < 1) throw new InvalidOptionException($"Fisher probe: {options.Samples} samples; use at least 1");
        if (options.Samples > train.Count)
            throw new InvalidOptionException($"Fisher probe: {options.Samples} samples asked for, but the training set has {train.Count} examples");
        if (options.Draws < 1) throw new InvalidOptionException($"Fisher probe: {options.Draws} label draws; use at least 1");
        if (options.BatchSize < 1) throw new InvalidOptionException($"Fisher probe: batch size {options.BatchSize}; use at least 1");
        if (!FisherOptions.Names.Contains(options.Method))
            throw new InvalidOptionException($"Fisher probe: method '{options.Method}' is not known; use one of: {FisherOptions.Names.Describe()}");
    }

    /// <summary>The first Samples rows of a permutation seeded by Seed, as a dataset of its own.</summary>
    private static Dataset ProbeSet(Dataset train, FisherOptions options)
    {
        using var scope = torch.NewDisposeScope();
        using var generator = new Generator(SeedMix.Mix(options.Seed, ProbeStream));
        var rows = torch.randperm(train.Count, generator: generator).narrow(0, 0, options.Samples);
        return new Dataset(train.Name, train.Images.index_select(0, rows), train.Labels.index_select(0, rows), train.NumClasses);
    }

    /// <summary>(B, draws) labels ŷ ~ softmax f(x), from the private generator.</summary>
    private static Tensor Draw(nn.Module<Tensor, Tensor> model, Tensor x, int draws, Generator generator)
    {
        using var noGrad = torch.no_grad();
        var p = nn.functional.softmax(model.call(x).to(ScalarType.Float64), 1);
        return torch.multinomial(p, draws, replacement: true, generator: generator);
    }

    /// <summary>
    /// Per-example norms with the dataset's labels (empirical) and with Draws label sets sampled from the model
    /// (true). The fast method shares one forward pass among all of them, sampling from its logits.
    /// </summary>
    private static (Dictionary<string, Tensor> Empirical, IReadOnlyList<Dictionary<string, Tensor>> Drawn) PerExampleSets(
        nn.Module<Tensor, Tensor> model, Tensor x, Tensor y, Mask? mask, FisherOptions options, Generator generator)
    {
        if (options.Method == "naive")
        {
            var drawn = Draw(model, x, options.Draws, generator);                       // (B, Draws)
            return (PerExampleGradients.Naive(model, x, y, mask),
                [.. Enumerable.Range(0, options.Draws).Select(d => PerExampleGradients.Naive(model, x, drawn[.., d].contiguous(), mask))]);
        }
        var all = PerExampleGradients.FastMany(model, x, logits =>
        {
            var p = nn.functional.softmax(logits.to(ScalarType.Float64), 1);
            var sampled = torch.multinomial(p, options.Draws, replacement: true, generator: generator);   // (B, Draws)
            return [y, .. Enumerable.Range(0, options.Draws).Select(d => sampled[.., d].contiguous())];
        }, mask);
        return (all[0], all.Skip(1).ToList());
    }

    private static Tensor Total(Dictionary<string, Tensor> perLayer) =>
        perLayer.Values.Aggregate((a, b) => a.to(ScalarType.Float64) + b.to(ScalarType.Float64));

    private static void Add(double[] into, int start, Tensor values, double weight)
    {
        var v = values.to(ScalarType.Float64).cpu().data<double>().ToArray();
        for (int i = 0; i < v.Length; i++) into[start + i] += weight * v[i];
    }
}
