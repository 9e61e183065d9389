// Decides, per masked layer, whether a run trains it on the sparse kernels
// (--kernels): `sparse` wherever there is a kernel and an error where there
// is none; `auto` only where KernelChoice measured the sparse path faster,
// with the reason for every dense choice; `dense` nowhere. Sparse kernels
// need a CPU run, a model whose Linear and Conv2d layers route
// (Models/RoutedModule; convolutions zero-padded, ungrouped, undilated), and a
// mask whose layers keep their weight counts (fixed masks, SET, RigL; GMP
// prunes more as it goes and stays dense).
using SparseLab.Foundations;
using SparseLab.Models;
using SparseLab.Schedules;
using SparseLab.Sparsity;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace SparseLab.Training.Kernels;

/// <summary>One masked layer's kernels: "sparse" or "dense", at its density, and why when dense.</summary>
public sealed record LayerKernel(string Layer, string Kernels, double Density, string? Reason);

public static class KernelPlan
{
    private const string Field = "Runtime.Kernels";

    /// <param name="strict">Whether `sparse` refuses a layer without a kernel (runs) or leaves it dense (benchmarks).</param>
    public static IReadOnlyList<LayerKernel> Choose(string mode, nn.Module model, Mask? mask, MaskSchedule? schedule, Device device, bool strict = true)
    {
        if (mask is null)
        {
            if (mode == "sparse" && strict) throw ConfigError.Of(Field, "sparse needs a sparse run: this one trains densely (no --sparsity, --mask-from or schedule); use auto or dense");
            return [];
        }
        var modules = model.named_modules().ToDictionary(m => m.name, m => m.module);
        var layers = new List<LayerKernel>();
        foreach (var layer in mask.Layers)
        {
            string moduleName = layer.Name.EndsWith(".weight", StringComparison.Ordinal) ? layer.Name[..^".weight".Length] : layer.Name;
            var module = modules.GetValueOrDefault(moduleName);
            string? why = module switch
            {
                _ when mode == "dense" => "--kernels dense",
                _ when device.type != DeviceType.CPU => $"no sparse training kernel on {device.type}",
                _ when model is not RoutedModule => $"{model.GetType().Name} does not route its layers",
                Linear when schedule is not null && !schedule.KeepsLayerCounts => $"{schedule.Name} changes the layer's weight count at every update",
                Linear l when mode == "auto" && !KernelChoice.AutoPrefersSparse(l.weight!.shape[0], l.weight!.shape[1], layer.Density) =>
                    l.weight!.numel() < KernelChoice.SmallestLayer
                        ? $"smaller than {KernelChoice.SmallestLayer} weights"
                        : $"density {layer.Density:0.###} is above the break-even {KernelChoice.BreakEven(l.weight!.numel())} for its size",
                Linear => null,
                Conv2d c when ConvUnsupported(c) is string reason => reason,
                Conv2d when schedule is not null && !schedule.KeepsLayerCounts => $"{schedule.Name} changes the layer's weight count at every update",
                Conv2d c when mode == "auto" && !KernelChoice.AutoPrefersSparse(c, layer.Density) =>
                    $"density {layer.Density:0.###} is above the break-even {KernelChoice.BreakEven(c)} for its shape",
                Conv2d => null,
                _ => $"no sparse training kernel for {module?.GetType().Name ?? "this layer"} yet",
            };
            if (why is not null && mode == "sparse" && strict)
                throw ConfigError.Of(Field, $"sparse: layer {layer.Name} cannot train on sparse kernels ({why}); use auto (dense where there is no sparse kernel) or dense");
            layers.Add(new LayerKernel(layer.Name, why is null ? "sparse" : "dense", layer.Density, why));
        }
        return layers;
    }

    // The sparse correlation kernels cover zero-padded, ungrouped, undilated 2-D convolutions.
    private static string? ConvUnsupported(Conv2d c) =>
        c.groups != 1 ? $"grouped convolution ({c.groups} groups)"
        : c.dilation.Any(d => d != 1) ? "dilated convolution"
        : c.padding is null || c.padding_type is not null ? "padding given as a mode, not sizes"
        : c.padding_mode != PaddingModes.Zeros ? $"{c.padding_mode} padding"
        : null;

    /// <summary>"fc1.weight sparse (density 0.05), conv1.weight dense (no sparse training kernel for Conv2d yet)".</summary>
    public static string Describe(IReadOnlyList<LayerKernel> layers) =>
        string.Join(", ", layers.Select(l => l.Reason is null ? $"{l.Layer} sparse (density {l.Density:0.###})" : $"{l.Layer} dense ({l.Reason})"));
}
