// Decides, per masked layer, whether a run trains it on the sparse kernels
// (--kernels): `sparse` wherever there is a kernel and an error where there
// is none; `auto` asks an IAutoKernels for each layer that has one (its step
// timed on this machine, or the record of a resumed run), with the reason for
// every dense choice; `dense` nowhere. Sparse kernels need a CPU run, a model
// whose Linear and Conv2d layers route (Models/RoutedModule; convolutions
// zero-padded, ungrouped, undilated), and a mask whose layers keep their
// weight counts (fixed masks, SET, RigL; GMP prunes more as it goes and stays
// dense).
using SparseLab.Foundations;
using SparseLab.Models;
using SparseLab.Schedules;
using SparseLab.Sparsity;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace SparseLab.Training.Kernels;

/// <summary>One masked layer's kernels: "sparse" or "dense", at its density, and why when dense.</summary>
/// <param name="DenseMs">Under `auto`: the layer's training step on the dense kernels, in milliseconds (absent in files from before timing).</param>
/// <param name="SparseMs">Under `auto`: the same step on the sparse kernels.</param>
/// <param name="Timing">Under `auto`: "measured" at this run's start or "cached" from an earlier one (KernelTimeCache).</param>
public sealed record LayerKernel(string Layer, string Kernels, double Density, string? Reason,
    double? DenseMs = null, double? SparseMs = null, string? Timing = null);

public static class KernelPlan
{
    private const string Field = "Runtime.Kernels";

    /// <param name="strict">Whether `sparse` refuses a layer without a kernel (runs) or leaves it dense (benchmarks).</param>
    /// <param name="auto">How `auto` decides the layers that have a kernel (required for `auto`).</param>
    public static IReadOnlyList<LayerKernel> Choose(string mode, nn.Module model, Mask? mask, MaskSchedule? schedule, Device device, bool strict = true,
        IAutoKernels? auto = null)
    {
        if (mode == "auto" && auto is null) throw new ArgumentException("--kernels auto needs a way to decide each layer (MeasuredKernels or RecordedKernels)", nameof(auto));
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
                Linear => null,
                Conv2d c when ConvUnsupported(c) is string reason => reason,
                Conv2d when schedule is not null && !schedule.KeepsLayerCounts => $"{schedule.Name} changes the layer's weight count at every update",
                Conv2d => null,
                _ => $"no sparse training kernel for {module?.GetType().Name ?? "this layer"} yet",
            };
            if (why is not null && mode == "sparse" && strict)
                throw ConfigError.Of(Field, $"sparse: layer {layer.Name} cannot train on sparse kernels ({why}); use auto (dense where there is no sparse kernel) or dense");
            layers.Add(why is not null ? new LayerKernel(layer.Name, "dense", layer.Density, why)
                : mode == "auto" ? auto!.Choose(layer.Name, module!, layer.Density)
                : new LayerKernel(layer.Name, "sparse", layer.Density, null));
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

    /// <summary>
    /// "conv1.weight sparse (density 0.05, 0.41 ms vs dense 1.32 ms, measured), fc3.weight dense (density 0.3, 0.05 ms vs
    /// sparse 0.06 ms, cached), conv2.weight dense (dilated convolution)".
    /// </summary>
    public static string Describe(IReadOnlyList<LayerKernel> layers) => string.Join(", ", layers.Select(Describe));

    public static string Describe(LayerKernel l) => l switch
    {
        { DenseMs: double dense, SparseMs: double sparse } => l.Kernels == "sparse"
            ? $"{l.Layer} sparse (density {l.Density:0.###}, {Ms(sparse)} ms vs dense {Ms(dense)} ms, {l.Timing})"
            : $"{l.Layer} dense (density {l.Density:0.###}, {Ms(dense)} ms vs sparse {Ms(sparse)} ms, {l.Timing})",
        { Kernels: "sparse" } => $"{l.Layer} sparse (density {l.Density:0.###})",
        _ => $"{l.Layer} dense ({l.Reason})",
    };

    private static string Ms(double ms) => ms >= 100 ? ms.ToString("0") : ms.ToString("G3");
}
