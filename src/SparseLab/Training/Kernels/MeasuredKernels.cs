// `--kernels auto` on a new run or a benchmark: each layer's training step is
// timed on both kernels at the run's batch and the layer's input size
// (KernelProbe), once per machine and case (KernelTimeCache), and the layer
// trains sparse where that step is at least StepTimes.Margin faster. The
// layers' inputs come from one forward pass, made when the first layer asks.
using SparseLab.Data;
using SparseLab.Models;
using TorchSharp;

namespace SparseLab.Training.Kernels;

/// <param name="measure">Times one case (KernelProbe.Measure; tests count or fake it).</param>
public sealed class MeasuredKernels(torch.nn.Module model, InputShape input, int batch, KernelTimeCache cache, KernelMachine machine,
    Func<KernelCase, StepTimes>? measure = null) : IAutoKernels
{
    private readonly Func<KernelCase, StepTimes> _measure = measure ?? KernelProbe.Measure;
    private IReadOnlyDictionary<torch.nn.Module, LayerInput>? _inputs;

    public LayerKernel Choose(string layer, torch.nn.Module module, double density)
    {
        _inputs ??= model is RoutedModule routed ? LayerInputs.Of(routed, input) : new Dictionary<torch.nn.Module, LayerInput>();
        if (!_inputs.TryGetValue(module, out var seen))
            return new LayerKernel(layer, "dense", density, "the model's forward pass does not route it");
        var c = seen.Case(module, batch, density);
        var times = cache.Find(machine, c);
        string timing = "cached";
        if (times is null)
        {
            times = _measure(c);
            cache.Add(machine, c, times);
            timing = "measured";
        }
        return times.SparseFaster
            ? new LayerKernel(layer, "sparse", density, null, times.DenseMs, times.SparseMs, timing)
            : new LayerKernel(layer, "dense", density, $"its sparse step is not {StepTimes.Margin * 100:0} % faster than dense", times.DenseMs, times.SparseMs, timing);
    }
}
