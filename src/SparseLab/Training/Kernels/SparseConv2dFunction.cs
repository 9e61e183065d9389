// A masked Conv2d layer, y = x ⋆ W + b, on the sparse correlation kernels
// forward and backward (SparseConvKernel), on libtorch's (B, C, H, W) layout:
//   forward   y  = x ⋆ W + b                        rows o of W
//   backward  dx = pad(dy) ⋆ flip(Wᵀ)   (stride 1)   rows c of the flipped kernel, values gathered per step
//             dx by scattering W · dy into the stride phases (strided)
//             dW at the stored taps only: Σ dy[o] · shifted x[c]   (the SDDMM of a convolution)
//             db = Σ_(b, oh, ow) dy
// RigL's growth score needs the dense weight gradient on its update steps:
// libtorch computes that one (the gradient of a dense convolution with
// respect to its weight, evaluated at the same x and dy).
using TorchSharp;
using static TorchSharp.torch;

namespace SparseLab.Training.Kernels;

internal sealed class SparseConv2dFunction : autograd.SingleTensorFunction<SparseConv2dFunction>
{
    public override string Name => "SparseConv2d";

    /// <param name="vars">x (B, C, H, W), values (nnz), bias (O) or null, the SparseConv2d layer.</param>
    public override Tensor forward(autograd.AutogradContext ctx, params object[] vars)
    {
        var x = ((Tensor)vars[0]).contiguous();
        var values = (Tensor)vars[1];
        var bias = vars[2] as Tensor;
        var layer = (SparseConv2d)vars[3];
        if (x.dim() != 4) throw new ArgumentException($"a Conv2d input has 4 dimensions (B, C, H, W), this one {x.dim()}");
        var plan = layer.For((int)x.shape[2], (int)x.shape[3]);
        var g = plan.Geometry;
        int batch = (int)x.shape[0];
        var y = torch.empty([batch, g.OutChannels, g.OutHeight, g.OutWidth], dtype: ScalarType.Float32);
        using (var v = values.contiguous())
        using (var b = bias?.contiguous())
            SparseConvKernel.Correlate(g, layer.Structure.RowPtr, layer.Structure.ColIdx, plan.Offsets, TensorMemory.Floats(v),
                TensorMemory.Floats(x), batch, TensorMemory.Floats(y), b is null ? default : TensorMemory.Floats(b), torch.get_num_threads());
        ctx.save_for_backward([x]);
        ctx.save_data("layer", layer);
        ctx.save_data("input_grad", ((Tensor)vars[0]).requires_grad);
        ctx.save_data("bias", bias is not null);
        return y;
    }

    public override List<Tensor> backward(autograd.AutogradContext ctx, Tensor gy)
    {
        var x = ctx.get_saved_variables()[0];
        var layer = (SparseConv2d)ctx.get_data("layer");
        var plan = layer.For((int)x.shape[2], (int)x.shape[3]);
        var (g, s) = (plan.Geometry, layer.Structure);
        int batch = (int)x.shape[0], threads = torch.get_num_threads();
        gy = gy.contiguous();

        Tensor? gx = null;
        if ((bool)ctx.get_data("input_grad"))
        {
            gx = torch.empty_like(x);
            if (g.Unit)
                SparseConvKernel.Correlate(g.InputGradient, layer.FlippedRowPtr, layer.FlippedColIdx, plan.FlippedOffsets,
                    layer.TransposedValues(), TensorMemory.Floats(gy), batch, TensorMemory.Floats(gx), default, threads);
            else
                SparseConvKernel.ScatterInputGradient(g, s.RowPtr, s.ColIdx, plan.Offsets, TensorMemory.Floats(layer.Values),
                    TensorMemory.Floats(gy), batch, TensorMemory.Floats(gx), threads);
        }
        var gv = torch.empty(s.Stored, dtype: ScalarType.Float32);
        SparseConvKernel.WeightGradient(g, s.RowPtr, s.ColIdx, plan.Offsets, TensorMemory.Floats(gy), TensorMemory.Floats(x),
            batch, TensorMemory.Floats(gv), threads);
        if (layer.KeepDenseGradient) layer.DenseGradient = DenseWeightGradient(layer, x, gy);
        var gb = (bool)ctx.get_data("bias") ? gy.sum([0L, 2L, 3L]) : null;
        return [gx!, gv, gb!, null!];
    }

    // ∂(Σ y · dy)/∂W of the dense convolution at this x: independent of W's values, so any W of the right shape will do.
    private static Tensor DenseWeightGradient(SparseConv2d layer, Tensor x, Tensor gy)
    {
        using var _ = torch.enable_grad();
        using var w = torch.zeros_like(layer.Weight).requires_grad_(true);
        using var y = nn.functional.conv2d(x.detach(), w, strides: layer.Layer.stride, padding: layer.Layer.padding);
        return torch.autograd.grad([y], [w], [gy])[0];
    }
}
