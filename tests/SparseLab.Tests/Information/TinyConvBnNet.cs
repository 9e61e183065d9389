// A tiny conv + BatchNorm classifier for 1×28×28 inputs, small enough that a
// test can recompute its first layer's activations by hand:
// conv(1→3, 3×3) → BatchNorm → ReLU → global average pool → linear(3→10).
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace SparseLab.Tests.Information;

public sealed class TinyConvBnNet : Module<Tensor, Tensor>
{
    private readonly Conv2d conv;
    private readonly BatchNorm2d bn;
    private readonly Linear fc;

    public TinyConvBnNet() : base(nameof(TinyConvBnNet))
    {
        conv = Conv2d(1, 3, kernel_size: 3);
        bn = BatchNorm2d(3);
        fc = Linear(3, 10);
        RegisterComponents();
    }

    public override Tensor forward(Tensor input)
    {
        var x = functional.relu(bn.call(conv.call(input)));   // (B, 3, 26, 26)
        x = x.mean([2, 3]);                                    // (B, 3)
        return fc.call(x);                                     // (B, 10)
    }
}
