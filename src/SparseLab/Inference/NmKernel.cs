// y = act(W·x + b) for an N:M weight, activations inputs × batch with the
// batch contiguous. The loop walks a row's groups: group g starts at input
// g·M and its N slots add w · x[g·M + offset, :] into the tile's registers,
// as in CsrKernel, but with one-byte offsets and no row pointers. Every row
// costs the same, so rows split evenly across threads.
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using System.Runtime.CompilerServices;

namespace SparseLab.Inference;

internal static unsafe class NmKernel
{
    public static void Multiply(NmMatrix w, ReadOnlySpan<float> x, int n, Span<float> y, ReadOnlySpan<float> bias, bool relu, int threads)
    {
        KernelChecks.Shapes(w, x, n, y, bias);
        int slots = w.SlotsPerRow;
        var items = WorkSplit.Plan(w.Rows, n, i => (long)i * (slots + 1), threads);
        var shape = new Shape(slots, w.N, w.M, n);
        fixed (byte* po = w.Offsets)
        fixed (float* pv = w.Values, px = x, py = y, pb = bias)
        {
            nint o = (nint)po, v = (nint)pv, xs = (nint)px, ys = (nint)py, b = bias.IsEmpty ? 0 : (nint)pb;
            WorkSplit.Run(items, threads, item => Rows((byte*)o, (float*)v, (float*)xs, (float*)ys, (float*)b, relu, shape, item));
        }
    }

    private readonly record struct Shape(int Slots, int N, int M, int Columns);

    // Fully optimized from the first call: tiering would run the first calls of a hot loop unoptimized.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Rows(byte* offsets, float* values, float* x, float* y, float* bias, bool relu, Shape s, WorkItem item)
    {
        int n = s.Columns;
        long groupStride = (long)s.M * n;   // x rows from one group to the next
        for (int i = item.RowStart; i < item.RowEnd; i++)
        {
            float* vr = values + (long)i * s.Slots;
            byte* orow = offsets + (long)i * s.Slots;
            float b = bias == null ? 0f : bias[i];
            float* yi = y + (long)i * n;
            int t = item.ColStart, end = item.ColEnd;
            if (Vector512.IsHardwareAccelerated)
            {
                for (; t + 64 <= end; t += 64)
                {
                    Vector512<float> a0 = Vector512.Create(b), a1 = a0, a2 = a0, a3 = a0;
                    float* xg = x + t;
                    for (int k = 0; k < s.Slots; xg += groupStride)
                        for (int j = 0; j < s.N; j++, k++)
                        {
                            var wv = Vector512.Create(vr[k]);
                            float* xr = xg + (long)orow[k] * n;
                            a0 = Vector512.FusedMultiplyAdd(Vector512.Load(xr), wv, a0);
                            a1 = Vector512.FusedMultiplyAdd(Vector512.Load(xr + 16), wv, a1);
                            a2 = Vector512.FusedMultiplyAdd(Vector512.Load(xr + 32), wv, a2);
                            a3 = Vector512.FusedMultiplyAdd(Vector512.Load(xr + 48), wv, a3);
                        }
                    Act.Store(a0, yi + t, relu); Act.Store(a1, yi + t + 16, relu);
                    Act.Store(a2, yi + t + 32, relu); Act.Store(a3, yi + t + 48, relu);
                }
            }
            if (Fma.IsSupported)   // AVX + FMA suffice for float vectors; Vector256.IsHardwareAccelerated also asks for AVX2
            {
                for (; t + 32 <= end; t += 32)
                {
                    Vector256<float> a0 = Vector256.Create(b), a1 = a0, a2 = a0, a3 = a0;
                    float* xg = x + t;
                    for (int k = 0; k < s.Slots; xg += groupStride)
                        for (int j = 0; j < s.N; j++, k++)
                        {
                            var wv = Vector256.Create(vr[k]);
                            float* xr = xg + (long)orow[k] * n;
                            a0 = Fma.MultiplyAdd(Avx.LoadVector256(xr), wv, a0);
                            a1 = Fma.MultiplyAdd(Avx.LoadVector256(xr + 8), wv, a1);
                            a2 = Fma.MultiplyAdd(Avx.LoadVector256(xr + 16), wv, a2);
                            a3 = Fma.MultiplyAdd(Avx.LoadVector256(xr + 24), wv, a3);
                        }
                    Act.Store(a0, yi + t, relu); Act.Store(a1, yi + t + 8, relu);
                    Act.Store(a2, yi + t + 16, relu); Act.Store(a3, yi + t + 24, relu);
                }
            }
            for (; t < end; t++)   // batch 1, the portable path and the leftover columns
            {
                float acc = b;
                float* xg = x + t;
                for (int k = 0; k < s.Slots; xg += groupStride)
                    for (int j = 0; j < s.N; j++, k++) acc += vr[k] * xg[(long)orow[k] * n];
                yi[t] = Act.Scalar(acc, relu);
            }
        }
    }
}
