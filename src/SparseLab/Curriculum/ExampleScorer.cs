// Computes one score per training example under a model (METHODS §6 and §7):
// per-example Fisher ‖∇ log p(y|x)‖² (true: y ~ p_θ, M draws; exact: the expectation over every class, Σ_c p_c ‖∇ log p_c‖²;
// empirical: the dataset label), the
// last layer's closed-form Fisher, EL2N ‖softmax f(x) − onehot(y)‖₂ (Paul et al. 2021, eq. 2),
// the cross-entropy loss, or seeded uniform noise. The model is only observed: weights,
// buffers and training flags are restored and only private generators are drawn from.
using SparseLab.Data;
using SparseLab.Information;
using SparseLab.Sparsity;
using SparseLab.Sparsity.Criteria;
using TorchSharp;
using static TorchSharp.torch;

namespace SparseLab.Curriculum;

public static class ExampleScorer
{
    private const long RandomStream = 0x524E4453;   // "RNDS"

    /// <summary>Forward-pass equivalents one example costs to score (a backward counts as two forwards).</summary>
    public static double PassesPerExample(string kind, int draws, int classes) => kind switch
    {
        "fisher-true" or "fisher-empirical" => 1 + 2.0 * (1 + draws),   // one forward, one backward per label set (dataset label + draws)
        "fisher-exact" => 1 + 2.0 * classes,                            // one forward, one backward per class
        "last-layer" or "el2n" or "loss" => 1,
        _ => 0,
    };

    public static double[] Score(string kind, nn.Module<Tensor, Tensor> model, Dataset train, DatasetInfo info, Mask? mask,
        int batchSize, int draws, long seed, Device device)
    {
        int n = checked((int)train.Count);
        switch (kind)
        {
            case "random":
                return Random(n, seed);
            case "fisher-exact":
                return FisherProbe.ExactScores(model, train, info, mask, n, batchSize, device);
            case "fisher-true" or "fisher-empirical":
                var fisher = FisherProbe.Scores(model, train, info, mask, new FisherOptions(n, draws, batchSize, seed), device);
                return kind == "fisher-true" ? fisher.True : fisher.Empirical;
            case "last-layer" or "el2n" or "loss":
                return PerBatch(kind, model, train, info, mask, batchSize, device);
            default:
                throw new ArgumentException($"unknown score kind '{kind}'", nameof(kind));
        }
    }

    /// <summary>Seeded uniform scores in [0, 1): a random order that needs no model.</summary>
    public static double[] Random(long n, long seed)
    {
        using var generator = new Generator(SeedMix.Mix(seed, RandomStream));
        using var u = torch.rand(n, dtype: ScalarType.Float64, generator: generator);
        return u.data<double>().ToArray();
    }

    private static double[] PerBatch(string kind, nn.Module<Tensor, Tensor> model, Dataset train, DatasetInfo info, Mask? mask, int batchSize, Device device)
    {
        using var guard = new ModelStateGuard(model);
        model.eval();
        using var deviceMask = mask?.To(device);
        var loader = new BatchLoader(train, info, batchSize, train: false, device);
        var scores = new double[train.Count];
        for (int b = 0, start = 0; b < loader.BatchesPerEpoch; b++)
        {
            using var scope = torch.NewDisposeScope();
            var (x, y) = loader.Batch(0, 0, b);                                          // (B, C, H, W), (B)
            Tensor s;
            if (kind == "last-layer")
            {
                s = PerExampleGradients.LastLayer(model, x, y, deviceMask).True;         // closed form, METHODS §6
            }
            else
            {
                using var noGrad = torch.no_grad();
                var logits = model.call(x).to(ScalarType.Float64);                       // (B, classes)
                s = kind == "loss"
                    ? nn.functional.cross_entropy(logits, y, reduction: nn.Reduction.None)
                    : (nn.functional.softmax(logits, 1) - nn.functional.one_hot(y, logits.shape[1]).to(ScalarType.Float64)).norm(1);
            }
            var v = s.to(ScalarType.Float64).cpu().data<double>().ToArray();
            v.CopyTo(scores, start);
            start += v.Length;
        }
        return scores;
    }
}
