// N:M structured sparsity (Mishra et al. 2021, "Accelerating Sparse Deep
// Neural Networks", the 2:4 pattern of NVIDIA Ampere; Zhou et al. 2021,
// "Learning N:M Fine-grained Structured Sparse Neural Networks From Scratch"):
// in every group of M consecutive weights along the input dimension, keep the
// N of largest |w|. Linear (out, in): groups along in. Conv (out, in, kh, kw):
// groups along in for each (out, kh, kw), i.e. input channels made innermost.
// Sparsity is fixed at 1 − N/M, so the request's sparsity and budget are not
// used; a current mask is ANDed in (pruned positions stay pruned).
using SparseLab.Foundations;
using TorchSharp;
using static TorchSharp.torch;

namespace SparseLab.Sparsity.Criteria;

public sealed class NmCriterion : IPruningCriterion
{
    public NmCriterion(int n, int m)
    {
        if (n <= 0 || m <= 0 || n >= m)
            throw new InvalidOptionException($"N:M sparsity nm:{n}:{m} is not valid; need 0 < N < M, e.g. nm:2:4");
        N = n;
        M = m;
    }

    public int N { get; }
    public int M { get; }
    public string Name => $"nm:{N}:{M}";
    public string Description => "N largest |w| in every M consecutive input weights (structured N:M, e.g. 2:4)";
    public bool NeedsData => false;

    public Mask Prune(PruningRequest request)
    {
        CheckDivisible(request.Prunable, N, M);
        using var scope = torch.NewDisposeScope();
        using var noGrad = torch.no_grad();
        var layers = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        foreach (var (name, w) in request.Prunable)
        {
            var score = w.detach().abs();
            var current = request.Current is not null && request.Current.Contains(name) ? request.Current[name].to(w.device) : null;
            if (current is not null) score = score * current;   // prefer survivors
            var mask = GroupMask(score, N, M);
            if (current is not null) mask = mask * current;
            layers[name] = mask;
        }
        return new Mask(layers);
    }

    /// <summary>Refuses a layer whose input size M does not divide.</summary>
    internal static void CheckDivisible(IReadOnlyList<(string Name, TorchSharp.Modules.Parameter Weight)> prunable, int n, int m)
    {
        foreach (var (name, w) in prunable)
        {
            long inputs = w.shape.Length >= 2 ? w.shape[1] : 0;
            if (w.shape.Length < 2 || inputs % m != 0)
                throw new InvalidOptionException(
                    $"layer '{name}' has input size {inputs}, which is not divisible by M = {m}, so it cannot be pruned {n}:{m}; keep it dense (keep the first or last layer dense) or choose an M that divides it");
        }
    }

    /// <summary>The 0/1 mask keeping the <paramref name="n"/> highest scores of every <paramref name="m"/> consecutive input weights (also used by Wanda's N:M).</summary>
    internal static Tensor GroupMask(Tensor score, int n, int m)
    {
        // Input channels innermost: (out, in) stays; (out, in, kh, kw) -> (out, kh, kw, in).
        bool conv = score.shape.Length == 4;
        var inner = conv ? score.permute(0, 2, 3, 1) : score;
        var shape = inner.shape;
        var groups = inner.reshape(-1, m);                      // (groups, M)
        var keep = groups.topk(n, dim: 1).indexes;              // (groups, N)
        var mask = torch.zeros(groups.shape, dtype: ScalarType.Float32, device: score.device)
            .scatter_(1, keep, torch.ones(keep.shape, dtype: ScalarType.Float32, device: score.device));
        var back = mask.reshape(shape);
        return (conv ? back.permute(0, 3, 1, 2) : back).contiguous();
    }
}
