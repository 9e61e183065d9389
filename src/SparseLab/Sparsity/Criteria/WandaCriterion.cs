// Wanda, pruning by weights and activations (Sun et al. 2023, "A Simple and
// Effective Pruning Approach for Large Language Models", Eq. 1): the score of
// weight W_ij of a layer is S_ij = |W_ij| · ‖X_j‖₂, with ‖X_j‖₂ the L2 norm
// of input feature j over every calibration token (LayerInputs: a sequence
// axis is flattened into tokens; a Conv2d's features are its unfolded patch
// entries (c, kh, kw)). The paper compares scores per output (§3, "comparison
// group"): every output row keeps the same number of weights, here
// round(k / rows) of the k its layer keeps.
//
// How --budget interacts: the budget decides how many weights each layer keeps
// (uniform, the paper's setting: every layer at the target sparsity; erk by
// layer shape; global: the counts one threshold over all layers' Wanda scores,
// measured on the unpruned model, would give); the per-row rule decides which.
// Layers are pruned one at a time in module order, each scored on inputs that
// flow through the already-pruned earlier layers, as the reference code does
// between blocks (a ModelStateGuard puts the weights back afterwards: the
// criterion only returns the mask). With N:M (Wanda §5, "structured N:M"), the
// N of highest score in every M consecutive inputs of a row are kept, grouped
// like NmCriterion.
using TorchSharp;
using static TorchSharp.torch;

namespace SparseLab.Sparsity.Criteria;

public sealed class WandaCriterion(int? n = null, int? m = null) : IPruningCriterion
{
    public string Name => N is null ? "wanda" : $"wanda:{N}:{M}";
    public string Description => "|w| · ‖x_j‖₂ (input norm over calibration data), compared within each output row (Wanda, Sun et al. 2023)";
    public bool NeedsData => true;
    public int? N { get; } = n;
    public int? M { get; } = m;

    public Mask Prune(PruningRequest request)
    {
        foreach (var (name, _) in request.Prunable)
            LayerInputs.CheckSupported(Name, name, LayerInputs.ModuleOf(request.Model, name));
        if (N is { } nn && M is { } mm) NmCriterion.CheckDivisible(request.Prunable, nn, mm);
        using var scope = torch.NewDisposeScope();
        using var guard = new ModelStateGuard(request.Model);
        ModelStateGuard.ApplyMask(request.Prunable, request.Current);
        var counts = N is null ? LayerInputs.KeepCounts(request, () => Scores(request)) : null;
        var layers = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        foreach (var (name, w) in request.Prunable)
        {
            var score = Score(request, name, w);                                     // (weight shape)
            var current = TopKSelection.CurrentOf(request.Current, name, score)?.to(w.device);
            if (current is not null) score = score.masked_fill(current.eq(0), double.NegativeInfinity);
            var keep = N is { } n ? NmCriterion.GroupMask(score, n, M!.Value) : PerRow(score, counts![name]);
            if (current is not null) keep = keep * current;
            layers[name] = keep;
            using var noGrad = torch.no_grad();
            w.mul_(keep.to(w.dtype));                                                 // later layers see this layer pruned
        }
        return new Mask(layers);
    }

    /// <summary>The Wanda scores of every layer on the model as it is (no layer pruned), for a score-based budget.</summary>
    private static Dictionary<string, Tensor> Scores(PruningRequest request) =>
        request.Prunable.ToDictionary(p => p.Name, p => Score(request, p.Name, p.Weight), StringComparer.Ordinal);

    /// <summary>S = |W| · ‖X_j‖₂ (Eq. 1), in the weight's shape, NaN as −∞.</summary>
    internal static Tensor Score(PruningRequest request, string name, Tensor w)
    {
        var module = LayerInputs.ModuleOf(request.Model, name);
        long features = w.numel() / w.shape[0];
        var sumSquares = torch.zeros(features, dtype: ScalarType.Float64, device: w.device);   // (features)
        sumSquares.DetachFromDisposeScope();
        try
        {
            LayerInputs.Collect(request.Model, module, LayerInputs.Inputs(request, "wanda"),
                rows => sumSquares.add_(rows.square().sum(dim: 0)));
            using var noGrad = torch.no_grad();
            var norm = sumSquares.sqrt().to(ScalarType.Float32);                     // ‖X_j‖₂
            var score = w.detach().reshape(w.shape[0], -1).abs() * norm.unsqueeze(0); // (out, features)
            return score.masked_fill(score.isnan(), double.NegativeInfinity).reshape(w.shape);
        }
        finally
        {
            sumSquares.Dispose();
        }
    }

    /// <summary>Keeps round(k / rows) highest scores in every output row (−∞ never wins over a finite score).</summary>
    private static Tensor PerRow(Tensor score, long keep)
    {
        var rows = score.reshape(score.shape[0], -1);                                // (out, features)
        long perRow = Math.Clamp((long)Math.Round((double)keep / rows.shape[0], MidpointRounding.AwayFromZero), 0, rows.shape[1]);
        var mask = torch.zeros(rows.shape, dtype: ScalarType.Float32, device: score.device);
        if (perRow > 0)
        {
            var best = rows.topk((int)perRow, dim: 1).indexes;                       // (out, perRow)
            mask.scatter_(1, best, torch.ones(best.shape, dtype: ScalarType.Float32, device: score.device));
        }
        return mask.reshape(score.shape);
    }
}
