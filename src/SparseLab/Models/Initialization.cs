// Weight initialization shared by every model, by name (--init):
//   kaiming-normal   He et al. 2015, "Delving Deep into Rectifiers": N(0, 2/fan_in) (ReLU gain), zero biases;
//                    SparseLab's default, as in the reference implementations of the CIFAR ResNets.
//   kaiming-uniform  the same variance from U(−√(6/fan_in), √(6/fan_in)), zero biases.
//   pytorch-default  what torch.nn.Conv2d/Linear do when left alone: kaiming_uniform_ with a = √5, i.e.
//                    U(−1/√fan_in, 1/√fan_in) (variance 1/(3·fan_in), six times smaller than kaiming-normal),
//                    and biases U(−1/√fan_in, 1/√fan_in) (torch/nn/modules/linear.py, reset_parameters).
//   kaiming-fan-out  the seed code's init_weights_kaiming (Ye et al. 2022, helper/utils.py): N(0, 2/fan_out)
//                    for every Conv2d/Linear but the last module, zero biases; the last Linear N(0, 0.01²), zero bias.
// BatchNorm: scale 1, shift 0. Draws only from the global torch generator, in
// registration order, so torch.manual_seed(s) before construction fixes every weight.
using SparseLab.Foundations;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace SparseLab.Models;

public static class Initialization
{
    public const string Default = "kaiming-normal";

    public const string FanOut = "kaiming-fan-out";

    public static NameSet Names { get; } = new(Default, "kaiming-uniform", "pytorch-default", FanOut);

    internal static void Apply(nn.Module model, string scheme = Default)
    {
        if (!Names.Contains(scheme)) throw ConfigError.Of(nameof(ModelConfig.Init), $"'{scheme}' is not known; use one of: {Names.Describe()}");
        using var noGrad = torch.no_grad();
        var modules = model.modules().ToList();
        foreach (var module in modules)
        {
            switch (module)
            {
                case Conv2d conv:
                    Layer(conv.weight, conv.bias, scheme);
                    break;
                case Linear linear:
                    Layer(linear.weight, linear.bias, scheme);
                    break;
                case BatchNorm2d bn:
                    if (bn.weight is { } w) nn.init.ones_(w);
                    if (bn.bias is { } b) nn.init.zeros_(b);
                    break;
            }
        }
        // The seed's last module, its classifier: N(0, 0.01²), zero bias. (TorchSharp lists modules by field order, not
        // call order, so the classifier is found as the last Linear rather than the last module.)
        if (scheme == FanOut && modules.OfType<Linear>().LastOrDefault() is { } last)
        {
            nn.init.normal_(last.weight, 0, 0.01);
            if (last.bias is not null) nn.init.zeros_(last.bias);
        }
    }

    private static void Layer(Tensor? weight, Tensor? bias, string scheme)
    {
        if (weight is null) return;
        switch (scheme)
        {
            case "kaiming-uniform":
                nn.init.kaiming_uniform_(weight, mode: nn.init.FanInOut.FanIn, nonlinearity: nn.init.NonlinearityType.ReLU);
                if (bias is not null) nn.init.zeros_(bias);
                break;
            case FanOut:
                nn.init.kaiming_normal_(weight, mode: nn.init.FanInOut.FanOut, nonlinearity: nn.init.NonlinearityType.ReLU);
                if (bias is not null) nn.init.zeros_(bias);
                break;
            case "pytorch-default":
                nn.init.kaiming_uniform_(weight, a: Math.Sqrt(5));
                if (bias is not null)
                {
                    double bound = 1 / Math.Sqrt(FanIn(weight));
                    nn.init.uniform_(bias, -bound, bound);
                }
                break;
            default:
                nn.init.kaiming_normal_(weight, mode: nn.init.FanInOut.FanIn, nonlinearity: nn.init.NonlinearityType.ReLU);
                if (bias is not null) nn.init.zeros_(bias);
                break;
        }
    }

    /// <summary>Inputs per output unit: in_features, or in_channels × kernel area.</summary>
    public static long FanIn(Tensor weight) => weight.shape.Skip(1).Aggregate(1L, (a, d) => a * d);
}
