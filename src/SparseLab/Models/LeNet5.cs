// LeNet-5, the convolutional network of LeCun et al. 1998, "Gradient-based
// learning applied to document recognition", with ReLU and max pooling as in
// common modern reimplementations. A 28x28 input is padded by 2 in the first
// convolution so both 28x28 and 32x32 inputs reach 16x5x5 before fc1.
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace SparseLab.Models;

internal sealed class LeNet5 : RoutedModule
{
    private readonly Conv2d conv1;
    private readonly Conv2d conv2;
    private readonly Linear fc1;
    private readonly Linear fc2;
    private readonly Linear fc3;

    public LeNet5(ModelSpec spec) : base(nameof(LeNet5))
    {
        double w = spec.WidthMultiplier;
        int c1 = Widths.Scale(6, w), c2 = Widths.Scale(16, w);
        int f1 = Widths.Scale(120, w), f2 = Widths.Scale(84, w);
        long padH = spec.Height == 28 ? 2 : 0, padW = spec.Width == 28 ? 2 : 0;
        conv1 = Conv2d(spec.InChannels, c1, kernel_size: (5, 5), padding: (padH, padW));
        conv2 = Conv2d(c1, c2, kernel_size: 5);
        fc1 = Linear(c2 * 5 * 5, f1);
        fc2 = Linear(f1, f2);
        fc3 = Linear(f2, spec.NumClasses);
        RegisterComponents();
    }

    public override Tensor forward(Tensor input) => Route(fc3, Features(input));   // (B, classes)

    /// <summary>The penultimate activations (B, 84w): what the Fréchet LeNet distance compares.</summary>
    public Tensor Features(Tensor input)
    {
        var x = functional.max_pool2d(functional.relu(Route(conv1, input)), 2);      // (B, 6w, 14, 14)
        x = functional.max_pool2d(functional.relu(Route(conv2, x)), 2);              // (B, 16w, 5, 5)
        x = x.flatten(1);                                                          // (B, 400w)
        x = functional.relu(Route(fc1, x));                                          // (B, 120w)
        return functional.relu(Route(fc2, x));                                       // (B, 84w)
    }
}
