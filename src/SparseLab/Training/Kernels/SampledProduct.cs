// The weight gradient of a sparse layer at its stored positions only: for
// each stored (i, j), dW_ij = Σ_b dY[i, b] · X[j, b] — a sampled dense–dense
// product (SDDMM), one dot product of two contiguous rows of length n (the
// batch, or the batch × positions of a convolution) per stored weight, so the
// work is nnz · n instead of the dense rows · cols · n. Rows of dY stay in
// cache while the row's X rows stream past; the next X rows are prefetched.
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using SparseLab.Inference;

namespace SparseLab.Training.Kernels;

internal static unsafe class SampledProduct
{
    private const int PrefetchDistance = 4;

    /// <summary>dv[k] = Σ_b gy[i, b] · x[colIdx[k], b] for k in row i; gy is rows × n, x is cols × n, n contiguous.</summary>
    public static void Compute(int rows, int cols, ReadOnlySpan<int> rowPtr, ReadOnlySpan<int> colIdx,
        ReadOnlySpan<float> gy, ReadOnlySpan<float> x, int n, Span<float> dv, int threads)
    {
        if (rowPtr.Length != rows + 1 || colIdx.Length != rowPtr[rows] || dv.Length < colIdx.Length)
            throw new ArgumentException($"a {rows}-row structure needs {rows + 1} row pointers and one gradient per stored weight");
        if (gy.Length < (long)rows * n || x.Length < (long)cols * n)
            throw new ArgumentException($"gy needs {(long)rows * n} values (has {gy.Length}), x {(long)cols * n} (has {x.Length})");
        fixed (int* pr = rowPtr, pc = colIdx)
        fixed (float* pg = gy, px = x, pd = dv)
        {
            nint r = (nint)pr, c = (nint)pc, g = (nint)pg, xs = (nint)px, d = (nint)pd;
            var items = WorkSplit.Plan(rows, n, i => ((int*)r)[i] + (long)i, threads, splitColumns: false);
            WorkSplit.Run(items, threads, item => Rows((int*)r, (int*)c, (float*)g, (float*)xs, n, (float*)d, item));
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Rows(int* rowPtr, int* colIdx, float* gy, float* x, int n, float* dv, WorkItem item)
    {
        for (int i = item.RowStart; i < item.RowEnd; i++)
        {
            float* gi = gy + (long)i * n;
            int k1 = rowPtr[i + 1];
            for (int k = rowPtr[i]; k < k1; k++)
            {
                if (k + PrefetchDistance < k1 && Sse.IsSupported) Sse.Prefetch0(x + (long)colIdx[k + PrefetchDistance] * n);
                dv[k] = Dot(gi, x + (long)colIdx[k] * n, n);
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining | MethodImplOptions.AggressiveOptimization)]
    private static float Dot(float* a, float* b, int n)
    {
        int t = 0;
        float sum = 0;
        if (Vector512.IsHardwareAccelerated && n >= 32)
        {
            Vector512<float> s0 = Vector512<float>.Zero, s1 = s0;
            for (; t + 32 <= n; t += 32)
            {
                s0 = Vector512.FusedMultiplyAdd(Vector512.Load(a + t), Vector512.Load(b + t), s0);
                s1 = Vector512.FusedMultiplyAdd(Vector512.Load(a + t + 16), Vector512.Load(b + t + 16), s1);
            }
            sum = Vector512.Sum(s0 + s1);
        }
        else if (Fma.IsSupported && n >= 16)
        {
            Vector256<float> s0 = Vector256<float>.Zero, s1 = s0;
            for (; t + 16 <= n; t += 16)
            {
                s0 = Fma.MultiplyAdd(Avx.LoadVector256(a + t), Avx.LoadVector256(b + t), s0);
                s1 = Fma.MultiplyAdd(Avx.LoadVector256(a + t + 8), Avx.LoadVector256(b + t + 8), s1);
            }
            sum = Vector256.Sum(Avx.Add(s0, s1));
        }
        for (; t < n; t++) sum += a[t] * b[t];   // the tail, and the portable path
        return sum;
    }
}
