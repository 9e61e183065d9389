// Runs a RoutedModule's Linear layers on the sparse inference kernel: each
// weight is compressed once to CSR (its nonzeros only) and every forward of
// the layer is y = W·x + b by CsrKernel over the rows of x (all leading axes
// of the input flattened: a GPT's (B, T, C) activations are B·T columns).
// Inference only: the output carries no autograd history.
using SparseLab.Models;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace SparseLab.Inference;

public sealed class CsrLayerRouter : ILayerRouter
{
    private readonly Dictionary<Linear, (CsrMatrix Weight, float[] Bias)> _layers = new(ReferenceEqualityComparer.Instance);
    private readonly int _threads;

    /// <summary>Compresses every Linear layer of <paramref name="model"/> as its weights are now.</summary>
    public CsrLayerRouter(nn.Module model, int threads)
    {
        _threads = threads;
        using var _ = torch.no_grad();
        foreach (var (_, module) in model.named_modules())
            if (module is Linear l)
            {
                var w = l.weight!.detach().cpu().contiguous();
                var csr = CsrMatrix.FromDense(w.data<float>().ToArray(), (int)w.shape[0], (int)w.shape[1]);
                _layers[l] = (csr, l.bias is null ? new float[w.shape[0]] : l.bias.detach().cpu().data<float>().ToArray());
            }
    }

    /// <summary>Stored nonzeros over all routed layers.</summary>
    public long Stored => _layers.Values.Sum(l => l.Weight.Stored);

    public Tensor? Forward(Linear layer, Tensor input)
    {
        if (!_layers.TryGetValue(layer, out var l)) return null;
        long cols = input.shape[^1], n = input.numel() / cols;
        using var x = input.reshape(n, cols).t().contiguous();                   // (in, n): the kernel's layout, batch contiguous
        var y = torch.empty(l.Weight.Rows, n);                                   // (out, n), written in place
        CsrKernel.Multiply(l.Weight, Training.Kernels.TensorMemory.Floats(x), (int)n, Training.Kernels.TensorMemory.Floats(y), l.Bias, relu: false, _threads);
        return y.t().reshape([.. input.shape[..^1], l.Weight.Rows]);
    }

    public Tensor? Forward(Conv2d layer, Tensor input) => null;
}
