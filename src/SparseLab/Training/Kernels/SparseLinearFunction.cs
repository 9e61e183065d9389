// A masked Linear layer, y = x·Wᵀ + b, on CSR kernels forward and backward
// (the training counterpart of Inference/CsrKernel; SparseProp, Nikdan et al.
// 2023, does the same on CPUs). With the batch contiguous (features × batch,
// the layout of Elsen et al. 2020):
//   forward   yᵀ  = W · xᵀ + b          CSR rows of W
//   backward  dxᵀ = Wᵀ · dyᵀ            CSR rows of Wᵀ (values gathered per step)
//             dW_ij = dyᵀ[i,:] · xᵀ[j,:] only where the mask keeps (i, j) (SampledProduct)
//             db  = Σ_b dy[b, :]
// so every product costs nnz · batch multiply-adds. The output is the
// transpose of a contiguous (out × batch) tensor; the next layer's xᵀ is then
// a free view, and an elementwise op (ReLU) in between keeps the layout.
using SparseLab.Inference;
using TorchSharp;
using static TorchSharp.torch;

namespace SparseLab.Training.Kernels;

internal sealed class SparseLinearFunction : autograd.SingleTensorFunction<SparseLinearFunction>
{
    public override string Name => "SparseLinear";

    /// <param name="vars">x (B, in), values (nnz), bias (out) or null, the SparseLinear layer.</param>
    public override Tensor forward(autograd.AutogradContext ctx, params object[] vars)
    {
        var x = (Tensor)vars[0];
        var values = (Tensor)vars[1];
        var bias = vars[2] as Tensor;
        var layer = (SparseLinear)vars[3];
        var s = layer.Structure;
        int batch = (int)x.shape[0];
        var xT = x.t().contiguous();                                             // (in, B)
        var yT = torch.empty([s.Rows, batch], dtype: ScalarType.Float32);        // (out, B)
        using (var v = values.contiguous())
        using (var b = bias?.contiguous())
            CsrKernel.Multiply(s.Rows, s.Cols, s.RowPtr, s.ColIdx, TensorMemory.Floats(v), TensorMemory.Floats(xT), batch,
                TensorMemory.Floats(yT), b is null ? default : TensorMemory.Floats(b), relu: false, torch.get_num_threads());
        ctx.save_for_backward([xT]);
        ctx.save_data("layer", layer);
        ctx.save_data("input_grad", x.requires_grad);
        ctx.save_data("bias", bias is not null);
        return yT.t();                                                            // (B, out)
    }

    public override List<Tensor> backward(autograd.AutogradContext ctx, Tensor gy)
    {
        var xT = ctx.get_saved_variables()[0];                                    // (in, B)
        var layer = (SparseLinear)ctx.get_data("layer");
        var s = layer.Structure;
        int batch = (int)xT.shape[1], threads = torch.get_num_threads();
        var gyT = gy.t().contiguous();                                            // (out, B)

        Tensor? gx = null;
        if ((bool)ctx.get_data("input_grad"))
        {
            var gxT = torch.empty([s.Cols, batch], dtype: ScalarType.Float32);    // (in, B)
            CsrKernel.Multiply(s.Cols, s.Rows, s.TRowPtr, s.TColIdx, layer.TransposedValues(), TensorMemory.Floats(gyT), batch,
                TensorMemory.Floats(gxT), default, relu: false, threads);
            gx = gxT.t();
        }
        var gv = torch.empty(s.Stored, dtype: ScalarType.Float32);
        SampledProduct.Compute(s.Rows, s.Cols, s.RowPtr, s.ColIdx, TensorMemory.Floats(gyT), TensorMemory.Floats(xT), batch,
            TensorMemory.Floats(gv), threads);
        if (layer.KeepDenseGradient) layer.DenseGradient = gyT.mm(xT.t());        // (out, in): RigL's growth score, on its update steps
        var gb = (bool)ctx.get_data("bias") ? gy.sum(dim: 0L) : null;   // (a literal 0 would bind to sum(ScalarType))
        return [gx!, gv, gb!, null!];
    }
}
