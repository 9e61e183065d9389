// A masked Linear layer on sparse kernels (SparseLinearFunction).
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace SparseLab.Training.Kernels;

internal sealed class SparseLinear(string name, Linear layer) : SparseLayer(name, layer.weight!, layer.bias)
{
    public Linear Layer { get; } = layer;

    public override Tensor Forward(Tensor x) => SparseLinearFunction.apply(x, Values, Bias!, this);
}
