// y = act(W·x + b) for a CSR weight W and activations x laid out inputs ×
// batch with the batch contiguous. Each nonzero w_ij adds w_ij · x[j, :] to
// row i of y; no gathers are needed because x[j, :] is a contiguous run
// (the layout of Elsen et al. 2020, "Fast Sparse ConvNets", and of most CPU
// sparse-dense kernels). For a tile of 64 batch columns (AVX-512) or 32
// (AVX + FMA) the row's sums stay in four vector registers while its nonzeros
// stream past, so y is written once per tile; leftover columns take one-vector
// tiles, then scalar code (also the portable path on CPUs without AVX/FMA).
// Batch 1 is a dot product with four scalar sums.
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace SparseLab.Inference;

internal static unsafe class CsrKernel
{
    // The x rows a row's nonzeros touch are scattered, so hardware prefetchers cannot guess them;
    // asking for the row PrefetchDistance nonzeros ahead hides most of the cache-miss latency.
    private const int PrefetchDistance = 8;

    public static void Multiply(CsrMatrix w, ReadOnlySpan<float> x, int n, Span<float> y, ReadOnlySpan<float> bias, bool relu, int threads) =>
        Multiply(w.Rows, w.Cols, w.RowPtr, w.ColIdx, w.Values, x, n, y, bias, relu, threads);

    /// <summary>
    /// The same product on a structure the caller has checked (CsrMatrix.Create's rules; training builds it from a mask):
    /// y (rows × n) = act(W · x + bias) with x (cols × n).
    /// </summary>
    public static void Multiply(int rows, int cols, ReadOnlySpan<int> rowPtr, ReadOnlySpan<int> colIdx, ReadOnlySpan<float> values,
        ReadOnlySpan<float> x, int n, Span<float> y, ReadOnlySpan<float> bias, bool relu, int threads)
    {
        KernelChecks.Shapes(rows, cols, x, n, y, bias);
        Run(rows, rowPtr, colIdx, values, x, n, n, y, bias, relu, threads);
    }

    /// <summary>
    /// The same product where x's rows start <paramref name="xStride"/> floats apart and may overlap: row j is
    /// x[j · xStride .. j · xStride + n). A stride-1 convolution is this product on its zero-padded input
    /// (DirectConvStep); the structure is checked by the caller, every column below <paramref name="cols"/>.
    /// </summary>
    public static void MultiplyOverlapping(int rows, int cols, ReadOnlySpan<int> rowPtr, ReadOnlySpan<int> colIdx, ReadOnlySpan<float> values,
        ReadOnlySpan<float> x, long xStride, int n, Span<float> y, ReadOnlySpan<float> bias, bool relu, int threads)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(n, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(xStride, 1);
        if (x.Length < (cols - 1) * xStride + n) throw new ArgumentException($"x has {x.Length} values; {cols} rows {xStride} apart of {n} need {(cols - 1) * xStride + n}", nameof(x));
        KernelChecks.Output(rows, n, y, bias);
        Run(rows, rowPtr, colIdx, values, x, xStride, n, y, bias, relu, threads);
    }

    private static void Run(int rows, ReadOnlySpan<int> rowPtr, ReadOnlySpan<int> colIdx, ReadOnlySpan<float> values,
        ReadOnlySpan<float> x, long xStride, int n, Span<float> y, ReadOnlySpan<float> bias, bool relu, int threads)
    {
        if (rowPtr.Length != rows + 1 || colIdx.Length < rowPtr[rows] || values.Length < rowPtr[rows])
            throw new ArgumentException($"a {rows}-row CSR structure needs {rows + 1} row pointers and as many column indices and values as it stores");
        fixed (int* pr = rowPtr, pc = colIdx)
        fixed (float* pv = values, px = x, py = y, pb = bias)
        {
            nint r = (nint)pr, c = (nint)pc, v = (nint)pv, xs = (nint)px, ys = (nint)py, b = bias.IsEmpty ? 0 : (nint)pb;
            var items = WorkSplit.Plan(rows, n, i => ((int*)r)[i] + (long)i, threads);
            WorkSplit.Run(items, threads, item => Rows((int*)r, (int*)c, (float*)v, (float*)xs, xStride, n, (float*)ys, (float*)b, relu, item));
        }
    }

    // Fully optimized from the first call: tiering would run the first calls of a hot loop unoptimized.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Rows(int* rowPtr, int* colIdx, float* values, float* x, long xs, int n, float* y, float* bias, bool relu, WorkItem item)
    {
        for (int i = item.RowStart; i < item.RowEnd; i++)
        {
            int k0 = rowPtr[i], k1 = rowPtr[i + 1];
            float b = bias == null ? 0f : bias[i];
            float* yi = y + (long)i * n;
            if (n == 1)
            {
                yi[0] = Act.Scalar(b + Dot(colIdx, values, x, xs, k0, k1), relu);
                continue;
            }
            int t = item.ColStart, end = item.ColEnd;
            if (Vector512.IsHardwareAccelerated)
            {
                for (; t + 64 <= end; t += 64)
                {
                    Vector512<float> a0 = Vector512.Create(b), a1 = a0, a2 = a0, a3 = a0;
                    for (int k = k0; k < k1; k++)
                    {
                        if (k + PrefetchDistance < k1) Prefetch(x + colIdx[k + PrefetchDistance] * xs + t, 4);
                        var wv = Vector512.Create(values[k]);
                        float* xr = x + colIdx[k] * xs + t;
                        a0 = Vector512.FusedMultiplyAdd(Vector512.Load(xr), wv, a0);
                        a1 = Vector512.FusedMultiplyAdd(Vector512.Load(xr + 16), wv, a1);
                        a2 = Vector512.FusedMultiplyAdd(Vector512.Load(xr + 32), wv, a2);
                        a3 = Vector512.FusedMultiplyAdd(Vector512.Load(xr + 48), wv, a3);
                    }
                    Act.Store(a0, yi + t, relu); Act.Store(a1, yi + t + 16, relu);
                    Act.Store(a2, yi + t + 32, relu); Act.Store(a3, yi + t + 48, relu);
                }
                for (; t + 16 <= end; t += 16)
                {
                    // One vector of columns: four sums over alternating nonzeros keep four FMAs in flight.
                    Vector512<float> a0 = Vector512.Create(b), a1 = Vector512<float>.Zero, a2 = a1, a3 = a1;
                    float* xt = x + t;
                    int k = k0;
                    for (; k + 4 <= k1; k += 4)
                    {
                        if (k + PrefetchDistance < k1) Prefetch(xt + colIdx[k + PrefetchDistance] * xs, 1);
                        a0 = Vector512.FusedMultiplyAdd(Vector512.Load(xt + colIdx[k] * xs), Vector512.Create(values[k]), a0);
                        a1 = Vector512.FusedMultiplyAdd(Vector512.Load(xt + colIdx[k + 1] * xs), Vector512.Create(values[k + 1]), a1);
                        a2 = Vector512.FusedMultiplyAdd(Vector512.Load(xt + colIdx[k + 2] * xs), Vector512.Create(values[k + 2]), a2);
                        a3 = Vector512.FusedMultiplyAdd(Vector512.Load(xt + colIdx[k + 3] * xs), Vector512.Create(values[k + 3]), a3);
                    }
                    for (; k < k1; k++)
                        a0 = Vector512.FusedMultiplyAdd(Vector512.Load(xt + colIdx[k] * xs), Vector512.Create(values[k]), a0);
                    Act.Store((a0 + a1) + (a2 + a3), yi + t, relu);
                }
            }
            if (Fma.IsSupported)   // AVX + FMA suffice for float vectors; Vector256.IsHardwareAccelerated also asks for AVX2
            {
                for (; t + 32 <= end; t += 32)
                {
                    Vector256<float> a0 = Vector256.Create(b), a1 = a0, a2 = a0, a3 = a0;
                    for (int k = k0; k < k1; k++)
                    {
                        if (k + PrefetchDistance < k1) Prefetch(x + colIdx[k + PrefetchDistance] * xs + t, 2);
                        var wv = Vector256.Create(values[k]);
                        float* xr = x + colIdx[k] * xs + t;
                        a0 = Fma.MultiplyAdd(Avx.LoadVector256(xr), wv, a0);
                        a1 = Fma.MultiplyAdd(Avx.LoadVector256(xr + 8), wv, a1);
                        a2 = Fma.MultiplyAdd(Avx.LoadVector256(xr + 16), wv, a2);
                        a3 = Fma.MultiplyAdd(Avx.LoadVector256(xr + 24), wv, a3);
                    }
                    Act.Store(a0, yi + t, relu); Act.Store(a1, yi + t + 8, relu);
                    Act.Store(a2, yi + t + 16, relu); Act.Store(a3, yi + t + 24, relu);
                }
                for (; t + 8 <= end; t += 8)
                {
                    Vector256<float> a0 = Vector256.Create(b), a1 = Vector256<float>.Zero, a2 = a1, a3 = a1;
                    float* xt = x + t;
                    int k = k0;
                    for (; k + 4 <= k1; k += 4)
                    {
                        if (k + PrefetchDistance < k1) Prefetch(xt + colIdx[k + PrefetchDistance] * xs, 1);
                        a0 = Fma.MultiplyAdd(Avx.LoadVector256(xt + colIdx[k] * xs), Vector256.Create(values[k]), a0);
                        a1 = Fma.MultiplyAdd(Avx.LoadVector256(xt + colIdx[k + 1] * xs), Vector256.Create(values[k + 1]), a1);
                        a2 = Fma.MultiplyAdd(Avx.LoadVector256(xt + colIdx[k + 2] * xs), Vector256.Create(values[k + 2]), a2);
                        a3 = Fma.MultiplyAdd(Avx.LoadVector256(xt + colIdx[k + 3] * xs), Vector256.Create(values[k + 3]), a3);
                    }
                    for (; k < k1; k++)
                        a0 = Fma.MultiplyAdd(Avx.LoadVector256(xt + colIdx[k] * xs), Vector256.Create(values[k]), a0);
                    Act.Store(Avx.Add(Avx.Add(a0, a1), Avx.Add(a2, a3)), yi + t, relu);
                }
            }
            for (; t < end; t++)   // the portable path, and the columns left over by the vector tiles
            {
                float s = b;
                for (int k = k0; k < k1; k++) s += values[k] * x[colIdx[k] * xs + t];
                yi[t] = Act.Scalar(s, relu);
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Prefetch(float* p, int lines)
    {
        if (!Sse.IsSupported) return;
        for (int l = 0; l < lines; l++) Sse.Prefetch0(p + 16 * l);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining | MethodImplOptions.AggressiveOptimization)]
    private static float Dot(int* colIdx, float* values, float* x, long xs, int k0, int k1)
    {
        float s0 = 0, s1 = 0, s2 = 0, s3 = 0;
        int k = k0;
        for (; k + 4 <= k1; k += 4)
        {
            s0 += values[k] * x[colIdx[k] * xs];
            s1 += values[k + 1] * x[colIdx[k + 1] * xs];
            s2 += values[k + 2] * x[colIdx[k + 2] * xs];
            s3 += values[k + 3] * x[colIdx[k + 3] * xs];
        }
        for (; k < k1; k++) s0 += values[k] * x[colIdx[k] * xs];
        return (s0 + s1) + (s2 + s3);
    }
}
