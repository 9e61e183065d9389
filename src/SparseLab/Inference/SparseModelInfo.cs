// The JSON metadata of a sparse model file: what network it is, how to
// normalize its input, and its layers in execution order. Stored in the
// safetensors __metadata__ under "sparselab_inference".
namespace SparseLab.Inference;

/// <summary>
/// One step of the network. Op is conv2d, linear, maxpool2d, flatten, save, add_shortcut or avgpool. Conv2d and
/// linear carry the state-dict prefix (Name, e.g. "fc1"), their sizes, the weight's Layout (csr, nm, dense) and
/// whether a ReLU follows (fused into the product); Norm names the BatchNorm folded into a convolution at export.
/// Kernel, Stride and Padding are (h, w); Ceil is max pooling's ceil mode. A residual block is save, its
/// convolutions, then add_shortcut: y = ReLU(x + shortcut(saved)), the option-A shortcut (He et al. 2016) that
/// subsamples the saved input by Stride and pads its In channels with zeros to Out. avgpool averages each
/// channel over the plane.
/// </summary>
public sealed record LayerSpec(
    string Op, string? Name = null, int In = 0, int Out = 0, int[]? Kernel = null, int[]? Stride = null, int[]? Padding = null,
    string? Layout = null, bool Relu = false, int N = 0, int M = 0, string? Norm = null, bool Ceil = false);

/// <summary>The network: model name and width, input (C, H, W), classes, per-channel normalization on [0, 1] pixels, layers.</summary>
public sealed record SparseModelInfo(
    int Format, string Model, string Dataset, double Width, int[] Input, int Classes, float[] Mean, float[] Std, LayerSpec[] Layers)
{
    public const int CurrentFormat = 1;
    public const string MetadataKey = "sparselab_inference";
}
