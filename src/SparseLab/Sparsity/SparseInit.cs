// Sparsity-aware initialization (Evci et al. 2022, "Gradient Flow in Sparse
// Neural Networks and How Lottery Tickets Win", §4): masking a dense
// He-initialized layer to density d shrinks each unit's pre-activation
// variance by about d, so at 99 % sparsity the signal can vanish. Rescaling
// each output unit's surviving weights by √(fan-in / surviving fan-in)
// restores the variance the dense initialization was designed for.
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace SparseLab.Sparsity;

public static class SparseInit
{
    public static void Rescale(IReadOnlyList<(string Name, Parameter Weight)> prunable, Mask mask)
    {
        using var scope = torch.NewDisposeScope();
        using var _ = torch.no_grad();
        foreach (var (name, w) in prunable)
        {
            if (!mask.Contains(name)) continue;
            var m = mask[name].to(w.device);
            long fanIn = w[0].numel();                                          // in·kh·kw for conv, in for linear
            var surviving = m.reshape(w.shape[0], -1).sum(1);                   // (out)
            var scale = torch.sqrt(fanIn / surviving.clamp_min(1));             // units with nothing left stay 0
            var shape = new long[w.dim()];
            Array.Fill(shape, 1L);
            shape[0] = w.shape[0];
            w.mul_(m).mul_(scale.reshape(shape));
        }
    }
}
