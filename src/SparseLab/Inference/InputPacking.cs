// Turns uint8 images (B, C, H, W) into the engine's normalized (C, H, W, B)
// input with the same float arithmetic as Data/BatchLoader.cs: pixel / 255,
// minus the channel mean, divided by the channel std.
using System.Runtime.CompilerServices;

namespace SparseLab.Inference;

public static class InputPacking
{
    // Fully optimized from the first call: tiering would run the first calls of a hot loop unoptimized.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Pack(ReadOnlySpan<byte> pixels, int batch, SparseModelInfo info, Span<float> dst)
    {
        int channels = info.Input[0], plane = info.Input[1] * info.Input[2], size = channels * plane;
        if (pixels.Length != size * batch || dst.Length < size * batch)
            throw new ArgumentException($"{pixels.Length} pixels for {batch} examples of {size}");
        for (int b = 0; b < batch; b++)
            for (int c = 0; c < channels; c++)
            {
                float mean = info.Mean[c], std = info.Std[c];
                var src = pixels.Slice(b * size + c * plane, plane);
                for (int p = 0; p < plane; p++)
                    dst[(c * plane + p) * batch + b] = (src[p] / 255f - mean) / std;
            }
    }
}
