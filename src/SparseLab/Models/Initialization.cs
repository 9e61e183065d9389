// Weight initialization shared by every model: He et al. 2015, "Delving Deep
// into Rectifiers" (kaiming normal, fan_in, ReLU gain sqrt(2)) for Conv2d and
// Linear weights, zero biases; BatchNorm scale 1 and shift 0. Draws only from
// the global torch generator, so torch.manual_seed(s) before construction fixes
// every weight.
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace SparseLab.Models;

internal static class Initialization
{
    public static void Apply(nn.Module model)
    {
        using var noGrad = torch.no_grad();
        // modules() walks the tree in registration order, so the draws happen
        // in a fixed order and depend only on the seed.
        foreach (var module in model.modules())
        {
            switch (module)
            {
                case Conv2d conv:
                    KaimingWeight(conv.weight);
                    ZeroBias(conv.bias);
                    break;
                case Linear linear:
                    KaimingWeight(linear.weight);
                    ZeroBias(linear.bias);
                    break;
                case BatchNorm2d bn:
                    if (bn.weight is { } w) nn.init.ones_(w);
                    ZeroBias(bn.bias);
                    break;
            }
        }
    }

    private static void KaimingWeight(Tensor? weight)
    {
        if (weight is null) return;
        nn.init.kaiming_normal_(weight, mode: nn.init.FanInOut.FanIn, nonlinearity: nn.init.NonlinearityType.ReLU);
    }

    private static void ZeroBias(Tensor? bias)
    {
        if (bias is not null) nn.init.zeros_(bias);
    }
}
