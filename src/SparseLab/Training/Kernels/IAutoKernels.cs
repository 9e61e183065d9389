// How `--kernels auto` decides a masked layer that has a sparse kernel:
// MeasuredKernels times it on this machine (or reads its cached times),
// RecordedKernels keeps what a resumed run's config.json says it trained on.
using TorchSharp;

namespace SparseLab.Training.Kernels;

public interface IAutoKernels
{
    /// <summary>The kernels of <paramref name="layer"/> (the weight's name; <paramref name="module"/> its Linear or Conv2d), which has a sparse kernel.</summary>
    LayerKernel Choose(string layer, torch.nn.Module module, double density);
}
