// The activation fused into a product's store: ReLU or identity.
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace SparseLab.Inference;

internal static unsafe class Act
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Scalar(float v, bool relu) => relu && !(v > 0) ? 0f : v;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(Vector512<float> v, float* at, bool relu) =>
        (relu ? Vector512.Max(v, Vector512<float>.Zero) : v).Store(at);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(Vector256<float> v, float* at, bool relu) =>   // AVX only: the kernels' 256-bit path runs without AVX2
        Avx.Store(at, relu ? Avx.Max(v, Vector256<float>.Zero) : v);
}
