// The per-example squared gradient norm of one layer from its captured input a and output gradient g
// (Goodfellow 2015 "Efficient per-example gradient computations"; Rochette et al. 2019; BackPACK's BatchL2Grad;
// METHODS §6): Linear ‖∇W_n‖² = ‖a_n‖²‖g_n‖², Conv2d ∇W_n = G_n U_nᵀ with U_n = im2col(a_n), eval-mode BatchNorm2d
// ∇γ_n = Σ_s g ⊙ x̂, ∇β_n = Σ_s g. With a mask the weight gradient is formed explicitly and multiplied by M.
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace SparseLab.Information;

internal static class PerExampleNorms
{
    /// <summary>(B) squared norm of the layer's per-example gradient (weight and bias together).</summary>
    public static Tensor Of(PerExampleLayer layer, Tensor a, Tensor g) => layer.Module switch
    {
        Linear => LinearNorm(layer, a, g),
        Conv2d c => Conv(layer, c, a, g),
        BatchNorm2d bn => BatchNorm(layer, bn, a, g),
        _ => throw new NotSupportedException($"per-example gradients: module '{layer.Name}' ({layer.Module.GetType().Name}) is not supported"),
    };

    /// <summary>
    /// The norms for several output gradients of the same forward pass (label sets), (B) each. Conv2d layers
    /// share the unfolded input and do one batched product for all sets; other layers go one set at a time.
    /// </summary>
    public static IReadOnlyList<Tensor> OfMany(PerExampleLayer layer, Tensor a, IReadOnlyList<Tensor> gs) => layer.Module switch
    {
        Conv2d c when gs.Count > 1 => ConvMany(layer, c, a, gs),
        BatchNorm2d bn when gs.Count > 1 => BatchNormMany(layer, bn, a, gs),
        _ => [.. gs.Select(g => Of(layer, a, g))],
    };

    private static Tensor LinearNorm(PerExampleLayer layer, Tensor a, Tensor g)
    {
        long batch = a.shape[0];
        var A = a.reshape(batch, -1, a.shape[^1]);   // (B, T, in)
        var G = g.reshape(batch, -1, g.shape[^1]);   // (B, T, out)
        Tensor weight;
        if (layer.Mask is not null && A.shape[1] == 1)
        {
            // ‖(g aᵀ) ⊙ M‖² = Σ_ij g_i² M_ij a_j² = (g²)ᵀ M (a²) for a 0/1 mask: one (B, in) × (in, out) product, no (B, out, in) gradients
            var m = layer.Mask.to(G.dtype, G.device);
            weight = (torch.matmul(A.squeeze(1).square(), m.t()) * G.squeeze(1).square()).sum(1);
        }
        else if (layer.Mask is not null)
        {
            var m = layer.Mask.to(G.dtype, G.device);
            weight = Chunked(batch, G.shape[2] * A.shape[2], (start, size) =>
                torch.bmm(G.narrow(0, start, size).transpose(1, 2), A.narrow(0, start, size))   // (b, out, in)
                    .mul_(m).pow_(2).sum([1, 2]));
        }
        else if (A.shape[1] == 1)
        {
            weight = A.square().sum([1, 2]) * G.square().sum([1, 2]);                          // ‖a‖²‖g‖²
        }
        else
        {
            // Σ_{t,t'} (G Gᵀ)_{tt'} (A Aᵀ)_{tt'}
            weight = (torch.bmm(G, G.transpose(1, 2)) * torch.bmm(A, A.transpose(1, 2))).sum([1, 2]);
        }
        return layer.Bias is null ? weight : weight + G.sum(1).square().sum(1);
    }

    private static Tensor Conv(PerExampleLayer layer, Conv2d conv, Tensor a, Tensor g) => ConvMany(layer, conv, a, [g])[0];

    private static IReadOnlyList<Tensor> ConvMany(PerExampleLayer layer, Conv2d conv, Tensor a, IReadOnlyList<Tensor> gs)
    {
        long batch = a.shape[0];
        var w = layer.Weight;                                                     // (Cout, Cin, kh, kw)
        var U = Im2Col.Unfold(a, w.shape[2], w.shape[3], (conv.stride[0], conv.stride[1]), ConvPadding(conv),
            (conv.dilation[0], conv.dilation[1]));                               // (B, Cin·kh·kw, L)
        long cout = w.shape[0], cink = U.shape[1], L = U.shape[2], sets = gs.Count;
        var Gs = gs.Select(g => g.reshape(batch, cout, -1)).ToList();            // (B, Cout, L) each
        if (layer.Mask is null && cout * cink > L * L)
        {
            var uu = torch.bmm(U.transpose(1, 2), U);                             // (B, L, L), shared by the sets
            return [.. Gs.Select(G => GramNorm(layer, G, uu))];
        }
        // All sets in one batched product: (B, Cin·kh·kw, L) × (B, L, S·Cout), U contiguous on the left.
        var Gt = (sets == 1 ? Gs[0] : torch.cat(Gs, 1)).transpose(1, 2);         // (B, L, S·Cout)
        var m = layer.Mask?.to(Gt.dtype, Gt.device).reshape(cout, cink).t().reshape(1, cink, 1, cout);
        var weight = Chunked(batch, sets * cout * cink, (start, size) =>
        {
            var grad = torch.bmm(U.narrow(0, start, size), Gt.narrow(0, start, size))
                .view(size, cink, sets, cout);                                    // (b, Cin·kh·kw, S, Cout): ∇W_nᵀ per set
            if (m is not null) grad.mul_(m);
            return grad.pow_(2).sum([1, 3]);                                      // (b, S)
        });                                                                       // (B, S)
        return [.. Enumerable.Range(0, (int)sets).Select(k =>
        {
            var norm = weight[.., k];
            return layer.Bias is null ? norm : norm + Gs[k].sum(2).square().sum(1);
        })];
    }

    /// <summary>Σ_{s,t} (GᵀG)_{st} (UᵀU)_{st}: cheaper than forming ∇W when L² &lt; Cout·Cin·kh·kw (no mask).</summary>
    private static Tensor GramNorm(PerExampleLayer layer, Tensor G, Tensor uu)
    {
        var gg = torch.bmm(G.transpose(1, 2), G);                                  // (B, L, L)
        var weight = (gg * uu).sum([1, 2]);
        return layer.Bias is null ? weight : weight + G.sum(2).square().sum(1);
    }

    // Explicit per-example gradients take B·(weight size) floats; form them a few examples at a time (≤ 2²⁵ floats).
    private const long ChunkElements = 1L << 25;

    private static Tensor Chunked(long batch, long perExample, Func<long, long, Tensor> norms)
    {
        long step = Math.Max(1, ChunkElements / Math.Max(1, perExample));
        if (step >= batch) return norms(0, batch);
        var parts = new List<Tensor>();
        for (long start = 0; start < batch; start += step)
        {
            using var scope = torch.NewDisposeScope();   // frees each chunk's (b, out, in) gradients before the next
            parts.Add(norms(start, Math.Min(step, batch - start)).MoveToOuterDisposeScope());
        }
        return torch.cat(parts, 0);
    }

    private static (long, long) ConvPadding(Conv2d conv)
    {
        if (conv.padding is { } p) return (p[0], p[1]);
        if (conv.padding_type == Padding.Valid) return (0, 0);
        throw new NotSupportedException("per-example gradients: Conv2d with padding 'same' is not supported");
    }

    private static Tensor BatchNorm(PerExampleLayer layer, BatchNorm2d bn, Tensor a, Tensor g) => BatchNormMany(layer, bn, a, [g])[0];

    private static IReadOnlyList<Tensor> BatchNormMany(PerExampleLayer layer, BatchNorm2d bn, Tensor a, IReadOnlyList<Tensor> gs)
    {
        var shape = new long[] { 1, -1, 1, 1 };
        var mean = bn.running_mean!.to(a.dtype).view(shape);
        var std = (bn.running_var!.to(a.dtype) + bn.eps).sqrt().view(shape);
        var xhat = (a - mean) / std;                                              // (B, C, H, W), shared by the sets
        return [.. gs.Select(g =>
        {
            var gamma = (g * xhat).sum([2, 3]).square().sum(1);                   // (B)
            return layer.Bias is null ? gamma : gamma + g.sum([2, 3]).square().sum(1);
        })];
    }
}
