// The float32 memory of a contiguous CPU tensor as a span, for the C# kernels:
// no copy, so a kernel writes its result straight into a libtorch tensor.
using System.Runtime.InteropServices;
using static TorchSharp.torch;

namespace SparseLab.Training.Kernels;

internal static class TensorMemory
{
    public static Span<float> Floats(Tensor t)
    {
        if (t.dtype != ScalarType.Float32 || t.device_type != TorchSharp.DeviceType.CPU || !t.is_contiguous())
            throw new ArgumentException($"the sparse kernels read contiguous float32 CPU tensors, not a {t.dtype} tensor on {t.device_type}{(t.is_contiguous() ? "" : " (not contiguous)")}");
        return MemoryMarshal.Cast<byte, float>(t.bytes);
    }
}
