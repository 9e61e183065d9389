// `--kernels auto` on a resumed run: every layer keeps the kernels the run's
// config.json recorded when it started, times included. Timing again could
// switch a layer between kernels mid-run, and the two differ by float
// rounding; a layer the record does not name (a run from before kernels were
// recorded) trained densely and stays dense.
namespace SparseLab.Training.Kernels;

public sealed class RecordedKernels(IReadOnlyList<LayerKernel> recorded) : IAutoKernels
{
    private readonly Dictionary<string, LayerKernel> _byLayer = recorded.ToDictionary(l => l.Layer);

    public LayerKernel Choose(string layer, TorchSharp.torch.nn.Module module, double density) =>
        _byLayer.GetValueOrDefault(layer) ?? new LayerKernel(layer, "dense", density, "the resumed run's config.json records no kernels for it");
}
