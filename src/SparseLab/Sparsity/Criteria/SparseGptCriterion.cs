// SparseGPT one-shot pruning (Frantar & Alistarh 2023, Algorithm 1; the
// solver is SparseGptSolver): for each prunable layer, H = 2·X Xᵀ from the
// layer's calibration inputs X (LayerInputs: tokens × features; Conv2d via
// unfolded patches), then mask selection and OBS error compensation, which
// changes the kept weights. So it is an IReconstructingCriterion, not an
// IPruningCriterion: it returns the new weights, and only `oneshot` applies them.
//
// Layers are pruned sequentially in module order, and each layer's H is
// collected on inputs that flow through the already pruned and reconstructed
// earlier layers, as the paper does block by block (§3.5; the reference code
// feeds each block the outputs of the pruned block before it). The model's
// weights are put back afterwards (ModelStateGuard).
//
// --budget: SparseGPT chooses within a layer, so the budget gives each layer's
// prune count (uniform, the paper's setting, or erk); global needs one
// threshold across layers that SparseGPT's sequential updates never offer, and
// is refused. N:M (§3.4) ignores the budget and the sparsity.
using SparseLab.Foundations;
using TorchSharp;
using static TorchSharp.torch;

namespace SparseLab.Sparsity.Criteria;

public sealed class SparseGptCriterion(int? n = null, int? m = null, double damp = 0.01, int blockSize = 128) : IReconstructingCriterion
{
    public string Name => N is null ? "sparsegpt" : $"sparsegpt:{N}:{M}";
    public string Description => "layer-wise OBS reconstruction: prunes by w²/[H⁻¹]²_jj and updates the kept weights (SparseGPT, Frantar & Alistarh 2023)";
    public int? N { get; } = n;
    public int? M { get; } = m;

    public Reconstruction Reconstruct(PruningRequest request)
    {
        foreach (var (name, _) in request.Prunable)
            LayerInputs.CheckSupported(Name, name, LayerInputs.ModuleOf(request.Model, name));
        if (N is { } nn && M is { } mm)
        {
            NmCriterion.CheckDivisible(request.Prunable, nn, mm);
            if (blockSize % mm != 0)
                throw new InvalidOptionException($"sparsegpt block size {blockSize} is not a multiple of M = {mm}; N:M groups must not straddle blocks");
        }
        if (N is null && request.Budget.Name == "global")
            throw new InvalidOptionException("pruning criterion 'sparsegpt' chooses the weights to prune within each layer while it updates them, so it cannot use --budget global; use uniform (the paper's setting) or erk");
        var counts = N is null ? request.Budget.KeepCounts([.. request.Prunable.Select(p => (p.Name, p.Weight.shape))], request.Sparsity) : null;

        using var scope = torch.NewDisposeScope();
        using var guard = new ModelStateGuard(request.Model);
        ModelStateGuard.ApplyMask(request.Prunable, request.Current);
        var masks = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        var weights = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        foreach (var (name, w) in request.Prunable)
        {
            var (newWeight, keep) = PruneLayer(request, name, w, counts?[name]);
            using (torch.no_grad()) w.copy_(newWeight);                          // later layers see this layer pruned and reconstructed
            masks[name] = keep;
            newWeight.DetachFromDisposeScope();
            weights[name] = newWeight;
        }
        return new Reconstruction(new Mask(masks), weights);
    }

    private (Tensor Weight, Tensor Keep) PruneLayer(PruningRequest request, string name, Tensor w, long? keepCount)
    {
        var module = LayerInputs.ModuleOf(request.Model, name);
        long cols = w.numel() / w.shape[0];
        var H = torch.zeros(cols, cols, dtype: ScalarType.Float64, device: w.device);   // (features, features)
        H.DetachFromDisposeScope();
        try
        {
            long tokens = LayerInputs.Collect(request.Model, module, LayerInputs.Inputs(request, "sparsegpt"),
                rows => H.addmm_(rows.t(), rows));                                       // Σ x xᵀ
            if (tokens == 0) throw new SparseLabException($"sparsegpt: the calibration batches never reached layer '{name}' through Module.call");
            using var noGrad = torch.no_grad();
            H.mul_(2.0 / tokens);                                                        // H = 2 X Xᵀ (per token)
            // Conv2d: order the columns (kh, kw, c) so that N:M groups run along input channels, as NmCriterion's do.
            var perm = ColumnOrder(w);
            var W2 = w.detach().reshape(w.shape[0], -1);                                  // (out, features)
            var Hp = perm is null ? H : H.index_select(0, perm).index_select(1, perm);
            var Wp = perm is null ? W2 : W2.index_select(1, perm);
            var current = TopKSelection.CurrentOf(request.Current, name, w)?.reshape(w.shape[0], -1);
            var Cp = current is null || perm is null ? current : current.index_select(1, perm.to(current.device));
            long pruneCount = keepCount is { } k ? w.numel() - k : 0;
            var result = SparseGptSolver.Solve(Wp, Hp, pruneCount, N is { } n ? (n, M!.Value) : null, damp, blockSize, Cp);
            var (newW, keep) = (result.Weights, result.Keep);
            if (perm is not null)
            {
                var inverse = torch.argsort(perm);
                (newW, keep) = (newW.index_select(1, inverse), keep.index_select(1, inverse));
            }
            return (newW.reshape(w.shape).to(w.dtype, w.device), keep.reshape(w.shape));
        }
        finally
        {
            H.Dispose();
        }
    }

    /// <summary>For a Conv2d weight (out, c, kh, kw): the unfold columns (c, kh, kw) listed in (kh, kw, c) order; null for Linear.</summary>
    private static Tensor? ColumnOrder(Tensor w)
    {
        if (w.shape.Length != 4) return null;
        long c = w.shape[1], kh = w.shape[2], kw = w.shape[3];
        return torch.arange(c * kh * kw, device: w.device).reshape(c, kh, kw).permute(1, 2, 0).flatten();
    }
}
