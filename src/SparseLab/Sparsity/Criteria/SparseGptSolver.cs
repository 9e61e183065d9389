// The layer-wise solver of SparseGPT (Frantar & Alistarh 2023, "SparseGPT:
// Massive Language Models Can Be Accurately Pruned in One-Shot", Algorithm 1):
// prune W (rows, cols) against the Hessian H = 2·X Xᵀ of the layer-wise
// reconstruction loss ‖W X − Ŵ X‖² and compensate each removed weight by
// updating the not-yet-processed columns of its row (the OBS update, Eq. 3,
// carried out in column order so one H⁻¹ serves every row).
//
// Steps, as in Algorithm 1 and §3–4 of the paper:
//  - dampening: H += λ I with λ = damp · mean(diag H) (damp = 1 %, §4); inputs
//    that never fire (H_jj = 0) get H_jj = 1 and their weights are pruned first;
//  - U = Cholesky(H⁻¹) upper, whose rows give the sequence of H⁻¹ restricted
//    to the remaining columns (§3.3, "Cholesky formulation");
//  - lazy blocks of B = 128 columns: the mask of a block is chosen when the
//    block starts, from the block's weights already updated by earlier blocks
//    ("adaptive mask selection", §3.2): the weights of smallest w²/U_jj² over
//    the whole block (all rows) are pruned, so every block and the layer reach
//    the target sparsity; with N:M (§3.4) the M − N smallest of every group of
//    M columns in each row instead, chosen when the group starts;
//  - column j: err = (w_j − q_j) / U_jj (q_j = w_j where kept, 0 where pruned),
//    w_{j+1..} −= err · U_{j, j+1..}; the block's errors update the columns
//    after it in one product.
// Computed in float64 (this is CPU-sized work; the paper uses float32 on GPUs).
using TorchSharp;
using static TorchSharp.torch;

namespace SparseLab.Sparsity.Criteria;

/// <param name="Weights">The new weights (rows, cols), zero where pruned.</param>
/// <param name="Keep">0/1 (rows, cols): 1 where kept.</param>
public sealed record SparseGptResult(Tensor Weights, Tensor Keep);

public static class SparseGptSolver
{
    /// <param name="weight">(rows, cols), any float dtype; not changed.</param>
    /// <param name="hessian">(cols, cols) = 2·X Xᵀ / tokens (any positive scale gives the same result), float64; not changed.</param>
    /// <param name="pruneCount">Unstructured: how many weights of the layer to prune in all; those beyond the already removed are spread over the blocks in proportion to their width.</param>
    /// <param name="nm">(N, M): keep N of every M consecutive columns of a row instead (pruneCount unused).</param>
    /// <param name="current">Optional 0/1 (rows, cols): positions already pruned (0), which stay pruned and count toward pruneCount.</param>
    public static SparseGptResult Solve(Tensor weight, Tensor hessian, long pruneCount, (int N, int M)? nm = null,
        double damp = 0.01, int blockSize = 128, Tensor? current = null)
    {
        using var scope = torch.NewDisposeScope();
        using var noGrad = torch.no_grad();
        long rows = weight.shape[0], cols = weight.shape[1];
        var W = weight.detach().to(ScalarType.Float64).clone();                 // (rows, cols)
        var H = hessian.to(ScalarType.Float64).clone();                         // (cols, cols)
        var dead = H.diagonal().eq(0);                                          // inputs that never fire
        H.diagonal().masked_fill_(dead, 1.0);
        W.masked_fill_(dead.unsqueeze(0), 0.0);
        var removed = current is null ? torch.zeros(W.shape, dtype: ScalarType.Bool, device: W.device) : current.eq(0).to(W.device);
        removed = removed.logical_or(dead.unsqueeze(0).expand(rows, cols));
        double lambda = damp * H.diagonal().mean().item<double>();
        H.diagonal().add_(lambda);
        var U = torch.linalg.cholesky(torch.cholesky_inverse(torch.linalg.cholesky(H))).t().contiguous();  // (cols, cols): upper U with Uᵀ U = H⁻¹
        var prune = torch.zeros(W.shape, dtype: ScalarType.Bool, device: W.device);
        // Beyond the positions already removed, the layer prunes `extra` more, spread over the blocks by their width.
        long extra = Math.Max(0, Math.Clamp(pruneCount, 0, rows * cols) - removed.sum().item<long>()), done = 0;

        for (long b0 = 0; b0 < cols; b0 += blockSize)
        {
            long b1 = Math.Min(b0 + blockSize, cols), width = b1 - b0;
            var W1 = W[All, S(b0, b1)].clone();                                     // (rows, B)
            var U1 = U[S(b0, b1), S(b0, b1)];                                         // (B, B)
            var d = U1.diagonal();                                              // (B)
            var Q1 = torch.zeros_like(W1);
            var E1 = torch.zeros_like(W1);
            var M1 = removed[All, S(b0, b1)].clone();                               // (rows, B) true = pruned
            if (nm is null)
            {
                // Adaptive mask selection: this block's removed positions plus its share of the extra, smallest w²/U_jj² first.
                long more = (long)Math.Round((double)extra * b1 / cols) - done;
                done += more;
                long share = M1.sum().item<long>() + more;
                var score = W1.square() / d.square().unsqueeze(0);
                score = score.masked_fill(M1, double.NegativeInfinity);
                if (share > 0)
                {
                    var flat = M1.flatten();
                    flat.index_fill_(0, score.flatten().topk((int)Math.Min(share, rows * width), largest: false).indexes, true);
                    M1 = flat.view(rows, width);
                }
            }
            for (long j = 0; j < width; j++)
            {
                if (nm is var (n, m) && j % m == 0)
                {
                    long g = Math.Min(m, width - j);
                    var score = W1[All, S(j, j + g)].square() / d[S(j, j + g)].square().unsqueeze(0);   // (rows, M)
                    score = score.masked_fill(M1[All, S(j, j + g)], double.NegativeInfinity);
                    var drop = score.topk((int)(g - n), dim: 1, largest: false).indexes;             // (rows, M − N)
                    M1[All, S(j, j + g)].scatter_(1, drop, torch.ones(drop.shape, dtype: ScalarType.Bool, device: W.device));
                }
                var w = W1[All, j];                                              // (rows)
                var q = w.masked_fill(M1[All, j], 0.0);
                Q1[All, j].copy_(q);
                var err = (w - q) / d[j];                                       // (rows)
                W1[All, S(j, width)].sub_(err.unsqueeze(1).matmul(U1[j, S(j, width)].unsqueeze(0)));
                E1[All, j].copy_(err);
            }
            W[All, S(b0, b1)].copy_(Q1);
            prune[All, S(b0, b1)].copy_(M1);
            if (b1 < cols) W[All, S(b1, cols)].sub_(E1.matmul(U[S(b0, b1), S(b1, cols)]));
        }
        var keep = prune.logical_not().to(ScalarType.Float32);
        return new SparseGptResult(W.masked_fill(prune, 0.0).to(weight.dtype).MoveToOuterDisposeScope(), keep.MoveToOuterDisposeScope());
    }

    private static TensorIndex All => TensorIndex.Colon;
    private static TensorIndex S(long start, long stop) => TensorIndex.Slice(start, stop);
}
