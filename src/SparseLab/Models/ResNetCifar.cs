// ResNet-20/32/56 for CIFAR-10: He et al. 2016, "Deep Residual Learning for
// Image Recognition", Section 4.2 (three stages of n = (depth - 2) / 6 basic
// blocks with 16, 32, 64 channels). The shortcut is the paper's option A,
// parameter-free: subsample by 2 and zero-pad the new channels, as in
// akamaster/pytorch_resnet_cifar10. Global average pooling makes 28x28 inputs
// work too.
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace SparseLab.Models;

internal sealed class CifarResNet : RoutedModule
{
    private readonly Conv2d conv1;
    private readonly BatchNorm2d bn1;
    private readonly Sequential layer1;
    private readonly Sequential layer2;
    private readonly Sequential layer3;
    private readonly Linear fc;

    public CifarResNet(ModelSpec spec, int depth) : base($"ResNet{depth}")
    {
        if ((depth - 2) % 6 != 0) throw new ArgumentException($"ResNet depth {depth} is not 6n + 2", nameof(depth));
        int blocks = (depth - 2) / 6;
        double w = spec.WidthMultiplier;
        int c1 = Widths.Scale(16, w), c2 = Widths.Scale(32, w), c3 = Widths.Scale(64, w);

        conv1 = Conv2d(spec.InChannels, c1, kernel_size: 3, stride: 1, padding: 1, bias: false);
        bn1 = BatchNorm2d(c1);
        layer1 = Stage(c1, c1, blocks, stride: 1);
        layer2 = Stage(c1, c2, blocks, stride: 2);
        layer3 = Stage(c2, c3, blocks, stride: 2);
        fc = Linear(c3, spec.NumClasses);
        RegisterComponents();
    }

    private Sequential Stage(int inChannels, int outChannels, int blocks, int stride)
    {
        var list = new List<Module<Tensor, Tensor>>(blocks);
        for (int i = 0; i < blocks; i++)
            list.Add(new BasicBlock(i == 0 ? inChannels : outChannels, outChannels, i == 0 ? stride : 1, Routes));
        return Sequential(list);   // children named "0", "1", ... like PyTorch
    }

    public override Tensor forward(Tensor input)
    {
        var x = functional.relu(bn1.call(Route(conv1, input)));        // (B, 16w, H, W)
        x = layer1.call(x);                                            // (B, 16w, H, W)
        x = layer2.call(x);                                            // (B, 32w, H/2, W/2)
        x = layer3.call(x);                                            // (B, 64w, H/4, W/4)
        x = x.mean(new long[] { 2, 3 });                               // (B, 64w) global average pool
        return Route(fc, x);                                             // (B, classes)
    }
}

/// <summary>Two 3x3 convolutions with batch norm and an option-A (parameter-free) shortcut.</summary>
internal sealed class BasicBlock : Module<Tensor, Tensor>
{
    private readonly Conv2d conv1;
    private readonly BatchNorm2d bn1;
    private readonly Conv2d conv2;
    private readonly BatchNorm2d bn2;
    private readonly int stride;
    private readonly LayerRoute routes;
    private readonly long padLow;
    private readonly long padHigh;

    public BasicBlock(int inChannels, int outChannels, int stride, LayerRoute routes) : base(nameof(BasicBlock))
    {
        conv1 = Conv2d(inChannels, outChannels, kernel_size: 3, stride: stride, padding: 1, bias: false);
        bn1 = BatchNorm2d(outChannels);
        conv2 = Conv2d(outChannels, outChannels, kernel_size: 3, stride: 1, padding: 1, bias: false);
        bn2 = BatchNorm2d(outChannels);
        this.stride = stride;
        this.routes = routes;
        // Option A pads the extra channels with zeros on both sides (planes/4 each
        // when channels double); an odd difference puts the extra one on top.
        long extra = outChannels - inChannels;
        padLow = extra / 2;
        padHigh = extra - padLow;
        RegisterComponents();
    }

    public override Tensor forward(Tensor input)
    {
        var x = functional.relu(bn1.call(routes.Run(conv1, input)));  // (B, out, H/s, W/s)
        x = bn2.call(routes.Run(conv2, x));                            // (B, out, H/s, W/s)
        return functional.relu(x + Shortcut(input));
    }

    private Tensor Shortcut(Tensor input)
    {
        if (stride == 1 && padLow == 0 && padHigh == 0) return input;
        var s = input;
        if (stride != 1)   // x[:, :, ::s, ::s], matching the strided 3x3 convolution's output size
            s = s.slice(2, 0, s.shape[2], stride).slice(3, 0, s.shape[3], stride);
        // (B, in, H/s, W/s) -> (B, out, H/s, W/s): pad order is (W, W, H, H, C, C)
        return functional.pad(s, new long[] { 0, 0, 0, 0, padLow, padHigh }, PaddingModes.Constant, 0);
    }
}
