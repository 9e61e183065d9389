// How the early phase chooses a batch out of its pool (--early-select): per-example scores under the
// current weights and the pick. fisher: the true Fisher of one example, ‖∇θ ℓ(x, ŷ)‖² with one label
// ŷ ~ p_θ(·|x) (METHODS §6; the per-example norms of Information/PerExampleGradients, masked by M),
// lowest first; fisher-hard: highest first (the paper's §4.2 order); loss: the cross-entropy at the
// dataset label, lowest first (the cheap control); random: B of the pool uniformly (no scores).
using SparseLab.Foundations;
using SparseLab.Information;
using SparseLab.Sparsity;
using TorchSharp;
using static TorchSharp.torch;

namespace SparseLab.EarlyPhase;

public static class EarlySelection
{
    public const string Fisher = "fisher";
    public const string FisherHard = "fisher-hard";
    public const string Loss = "loss";
    public const string Random = "random";

    /// <summary>The --early-select names.</summary>
    public static NameSet Names { get; } = new(Fisher, FisherHard, Loss, Random);

    /// <summary>Forward-pass equivalents scoring one pool example costs (a backward counts as two forwards).</summary>
    public static double PassesPerExample(string select) => select switch
    {
        Fisher or FisherHard => 3,   // one forward, one backward at the sampled labels
        Loss => 1,                   // one forward
        _ => 0,
    };

    /// <summary>
    /// (n) per-example true Fisher ‖∇θ ℓ(x_n, ŷ_n)‖² (masked weights' gradients ⊙ M) with ŷ_n ~ softmax f(x_n) drawn from
    /// <paramref name="generator"/>, and the labels drawn. One forward and one backward (PerExampleGradients.FastMany).
    /// </summary>
    public static (double[] Scores, long[] Drawn) TrueFisher(nn.Module<Tensor, Tensor> model, Tensor x, Mask? mask, Generator generator)
    {
        using var scope = torch.NewDisposeScope();
        long[] drawn = [];
        var norms = PerExampleGradients.FastMany(model, x, logits =>
        {
            var p = nn.functional.softmax(logits.to(ScalarType.Float64), 1);                  // (B, classes)
            var y = torch.multinomial(p, 1, replacement: true, generator: generator).squeeze(1);   // (B)
            drawn = y.cpu().data<long>().ToArray();
            return [y];
        }, mask)[0];
        var total = norms.Values.Aggregate((a, b) => a + b);                                  // (B) float64, over every layer
        return (total.cpu().data<double>().ToArray(), drawn);
    }

    /// <summary>(n) cross-entropy of each example at its dataset label.</summary>
    public static double[] Losses(nn.Module<Tensor, Tensor> model, Tensor x, Tensor y)
    {
        using var scope = torch.NewDisposeScope();
        using var noGrad = torch.no_grad();
        var logits = model.call(x).to(ScalarType.Float64);                                    // (B, classes)
        return nn.functional.cross_entropy(logits, y, reduction: nn.Reduction.None).cpu().data<double>().ToArray();
    }

    /// <summary>
    /// The positions in the pool (ascending) of the <paramref name="batch"/> examples the selection keeps: the lowest
    /// scores (fisher, loss) or the highest (fisher-hard), ties broken by pool position; random draws them from
    /// <paramref name="pick"/> and ignores the scores.
    /// </summary>
    public static long[] Pick(string select, double[]? scores, long poolSize, int batch, Generator? pick)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(batch, poolSize);
        IEnumerable<long> chosen = select switch
        {
            Random => RandomPositions(poolSize, batch, pick ?? throw new ArgumentNullException(nameof(pick))),
            Fisher or Loss => Enumerable.Range(0, (int)poolSize).OrderBy(i => scores![i]).ThenBy(i => i).Take(batch).Select(i => (long)i),
            FisherHard => Enumerable.Range(0, (int)poolSize).OrderByDescending(i => scores![i]).ThenBy(i => i).Take(batch).Select(i => (long)i),
            _ => throw new ArgumentException($"unknown early selection '{select}'", nameof(select)),
        };
        return [.. chosen.Order()];
    }

    private static long[] RandomPositions(long poolSize, int batch, Generator pick)
    {
        using var perm = torch.randperm(poolSize, generator: pick);
        return perm.narrow(0, 0, batch).data<long>().ToArray();
    }
}
