// VGG-11 and VGG-16 with batch norm, CIFAR variant: Simonyan & Zisserman 2015,
// "Very Deep Convolutional Networks for Large-Scale Image Recognition" (configs
// A and D), with BatchNorm after every convolution (Ioffe & Szegedy 2015) and a
// single linear classifier, as in the lottery-ticket and sparse-training
// literature (e.g. Frankle & Carbin 2019; Evci et al. 2020, "Rigging the
// Lottery"). Pools use ceil mode so a 28x28 input also reaches 1x1.
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace SparseLab.Models;

internal sealed class Vgg : RoutedModule
{
    internal const int Pool = 0;   // "M" in the configs below

    private static readonly int[] Config11 = [64, Pool, 128, Pool, 256, 256, Pool, 512, 512, Pool, 512, 512, Pool];
    private static readonly int[] Config16 =
        [64, 64, Pool, 128, 128, Pool, 256, 256, 256, Pool, 512, 512, 512, Pool, 512, 512, 512, Pool];

    /// <summary>The layer configuration of VGG-<paramref name="depth"/>: output channels, or Pool.</summary>
    internal static int[] Config(int depth) => depth switch
    {
        11 => Config11,
        16 => Config16,
        _ => throw new ArgumentException($"VGG depth {depth} is not 11 or 16", nameof(depth)),
    };

    private readonly Sequential features;
    private readonly Linear classifier;

    public Vgg(ModelSpec spec, int depth) : base($"VGG{depth}")
    {
        int[] config = Config(depth);
        var layers = new List<Module<Tensor, Tensor>>();
        int channels = spec.InChannels;
        foreach (int entry in config)
        {
            if (entry == Pool)
            {
                layers.Add(MaxPool2d(kernel_size: 2, stride: 2, ceil_mode: true));
                continue;
            }
            int outChannels = Widths.Scale(entry, spec.WidthMultiplier);
            layers.Add(Conv2d(channels, outChannels, kernel_size: 3, padding: 1));
            layers.Add(BatchNorm2d(outChannels));
            layers.Add(ReLU());
            channels = outChannels;
        }
        features = Sequential(layers);   // children named "0", "1", ... like PyTorch
        classifier = Linear(channels, spec.NumClasses);
        RegisterComponents();
    }

    public override Tensor forward(Tensor input)
    {
        var x = input;
        foreach (var layer in features.children())   // Sequential's own forward, with the convolutions routed
            x = layer is Conv2d conv ? Route(conv, x) : ((Module<Tensor, Tensor>)layer).call(x);
        // x: (B, 512w, 1, 1)
        x = x.flatten(1);                  // (B, 512w)
        return Route(classifier, x);         // (B, classes)
    }
}
