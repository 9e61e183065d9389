// One layer whose per-example gradient norms SparseLab measures (METHODS §6): its module path, its kind
// (Linear, Conv2d or eval-mode BatchNorm2d), its parameters and, if the mask covers its weight, the 0/1 mask.
using SparseLab.Foundations;
using SparseLab.Sparsity;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace SparseLab.Information;

internal sealed record PerExampleLayer(string Name, nn.Module<Tensor, Tensor> Module, Tensor Weight, Tensor? Bias, Tensor? Mask)
{
    /// <summary>The state-dict name of the layer's weight (the key a <see cref="Sparsity.Mask"/> uses).</summary>
    public static string WeightName(string layer) => layer.Length == 0 ? "weight" : $"{layer}.weight";

    /// <summary>
    /// Every module that owns parameters, in module order. Linear, Conv2d and BatchNorm2d (with running
    /// statistics, in eval mode) are supported; any other module with its own parameters is refused by name.
    /// </summary>
    /// <param name="linearOnly">Only the Linear layers; other modules with parameters are skipped, not refused.</param>
    public static List<PerExampleLayer> Of(nn.Module<Tensor, Tensor> model, Mask? mask, bool linearOnly = false)
    {
        var layers = new List<PerExampleLayer>();
        foreach (var (name, module) in model.named_modules())
        {
            var own = module.named_parameters(recurse: false).Where(p => p.parameter.requires_grad).ToList();
            if (own.Count == 0) continue;
            var m = mask is not null && mask.Contains(WeightName(name)) ? mask[WeightName(name)] : null;
            if (linearOnly && module is not Linear) continue;
            switch (module)
            {
                case Linear l:
                    layers.Add(new PerExampleLayer(name, l, l.weight!, l.bias, m));
                    break;
                case Conv2d c:
                    if (c.groups != 1)
                        throw new NotSupportedException($"per-example gradients: Conv2d '{name}' has groups={c.groups}; only groups=1 is supported");
                    if (c.padding_mode != PaddingModes.Zeros)
                        throw new NotSupportedException($"per-example gradients: Conv2d '{name}' uses padding mode {c.padding_mode}; only zero padding is supported");
                    layers.Add(new PerExampleLayer(name, c, c.weight!, c.bias, m));
                    break;
                case BatchNorm2d bn:
                    if (bn.running_mean is null || bn.running_var is null)
                        throw new NotSupportedException($"per-example gradients: BatchNorm2d '{name}' keeps no running statistics, so its output mixes the examples of a batch");
                    if (bn.training)
                        throw new SparseLabException($"per-example gradients: BatchNorm2d '{name}' is in training mode; call model.eval() first (METHODS §6: batch statistics mix the examples)");
                    if (bn.weight is null) continue;
                    layers.Add(new PerExampleLayer(name, bn, bn.weight, bn.bias, null));
                    break;
                default:
                    throw new NotSupportedException(
                        $"per-example gradients: module '{name}' ({module.GetType().Name}) has parameters ({string.Join(", ", own.Select(p => p.name))}); only Linear, Conv2d and BatchNorm2d are supported");
            }
        }
        return layers;
    }

    /// <summary>The parameters whose per-example gradients this layer groups together.</summary>
    public Tensor[] Parameters => Bias is null ? [Weight] : [Weight, Bias];
}
