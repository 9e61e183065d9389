// LeNet-300-100, the fully connected network of LeCun et al. 1998,
// "Gradient-based learning applied to document recognition", as used in the
// pruning literature (Han et al. 2015; Frankle & Carbin 2019, "The Lottery
// Ticket Hypothesis"). Hidden widths scale with the width multiplier.
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace SparseLab.Models;

internal sealed class Mlp : RoutedModule
{
    private readonly Linear fc1;
    private readonly Linear fc2;
    private readonly Linear fc3;

    public Mlp(ModelSpec spec) : base(nameof(Mlp))
    {
        int inputs = spec.InChannels * spec.Height * spec.Width;
        int h1 = Widths.Scale(300, spec.WidthMultiplier);
        int h2 = Widths.Scale(100, spec.WidthMultiplier);
        fc1 = Linear(inputs, h1);
        fc2 = Linear(h1, h2);
        fc3 = Linear(h2, spec.NumClasses);
        RegisterComponents();
    }

    public override Tensor forward(Tensor input)
    {
        var x = input.flatten(1);               // (B, C*H*W)
        x = functional.relu(Route(fc1, x));       // (B, 300w)
        x = functional.relu(Route(fc2, x));       // (B, 100w)
        return Route(fc3, x);                     // (B, classes)
    }
}
