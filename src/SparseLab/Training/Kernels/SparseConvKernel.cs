// A 2-D correlation with a sparse kernel, forward and backward, on libtorch's
// (B, C, H, W) layout — no im2col. Each image is copied once into its padded
// stride-phase planes (ConvGeometry), where every stored tap of an output
// channel is one contiguous run: a register tile of the output grid
// accumulates all of them (a broadcast and four vector multiply-adds per tap),
// so the work is nnz · OH · Wq per image instead of the dense
// O · C · kh · kw · OH · OW. The weight gradient is one dot product of the
// output-gradient grid with each stored tap's run (the convolution's SDDMM;
// SparseProp, Nikdan et al. 2023, §3). The input gradient of a stride-1 layer
// is the flipped correlation (ConvGeometry.InputGradient) on the same routine;
// for strided layers each tap adds its weight times the output-gradient grid
// into the phase planes, which are then read back into the image layout.
// The grid's columns past OW are scratch (zero where a gradient is read).
// Images are split into one range per thread; the weight gradient sums the
// ranges' partial sums in range order, so a thread count gives one answer.
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace SparseLab.Training.Kernels;

internal static unsafe class SparseConvKernel
{
    private const int Tile = 32;                 // grid floats per register tile: four 8-float vectors
    private const long SerialWork = 1 << 16;     // below this many multiply-adds one thread does it all

    /// <summary>Where each stored tap starts in an image's phase planes, for column c · taps + ki · kw + kj.</summary>
    public static int[] Offsets(ConvGeometry g, ReadOnlySpan<int> colIdx)
    {
        var offsets = new int[colIdx.Length];
        for (int k = 0; k < colIdx.Length; k++)
        {
            int c = colIdx[k] / g.Taps, t = colIdx[k] % g.Taps;
            offsets[k] = g.Offset(c, t / g.KernelW, t % g.KernelW);
        }
        return offsets;
    }

    /// <summary>y (B, O, OH, OW) = x (B, C, H, W) ⋆ the kernel whose output channel o stores columns colIdx[rowPtr[o]..rowPtr[o+1]), + bias.</summary>
    /// <param name="offsets">Offsets(g, colIdx).</param>
    public static void Correlate(ConvGeometry g, int[] rowPtr, int[] colIdx, int[] offsets, ReadOnlySpan<float> values,
        ReadOnlySpan<float> x, int batch, Span<float> y, ReadOnlySpan<float> bias, int threads)
    {
        Check(g, rowPtr, colIdx, offsets, values.Length, x.Length, y.Length, batch, bias.Length);
        fixed (int* pr = rowPtr, po = offsets)
        fixed (float* pv = values, px = x, py = y, pb = bias)
        {
            nint r = (nint)pr, o = (nint)po, v = (nint)pv, xs = (nint)px, ys = (nint)py, b = bias.IsEmpty ? 0 : (nint)pb;
            Parallel(ImageRanges(g, colIdx.Length, batch, threads), threads,
                range => CorrelateImages(g, (int*)r, (int*)o, (float*)v, (float*)xs, (float*)ys, (float*)b, range));
        }
    }

    /// <summary>gx (B, C, H, W) = the input gradient for gy (B, O, OH, OW): each tap's weight times gy, added where the tap read x.</summary>
    public static void ScatterInputGradient(ConvGeometry g, int[] rowPtr, int[] colIdx, int[] offsets, ReadOnlySpan<float> values,
        ReadOnlySpan<float> gy, int batch, Span<float> gx, int threads)
    {
        Check(g, rowPtr, colIdx, offsets, values.Length, gx.Length, gy.Length, batch, 0);
        fixed (int* pr = rowPtr, po = offsets)
        fixed (float* pv = values, pg = gy, pd = gx)
        {
            nint r = (nint)pr, o = (nint)po, v = (nint)pv, gs = (nint)pg, ds = (nint)pd;
            Parallel(ImageRanges(g, colIdx.Length, batch, threads), threads,
                range => ScatterImages(g, (int*)r, (int*)o, (float*)v, (float*)gs, (float*)ds, range));
        }
    }

    /// <summary>gv[k] = Σ_b Σ_(oh,ow) gy[b, o, oh, ow] · x[b, c, oh·s − p + ki, ow·s − p + kj] for each stored tap k = (o; c, ki, kj).</summary>
    public static void WeightGradient(ConvGeometry g, int[] rowPtr, int[] colIdx, int[] offsets,
        ReadOnlySpan<float> gy, ReadOnlySpan<float> x, int batch, Span<float> gv, int threads)
    {
        Check(g, rowPtr, colIdx, offsets, gv.Length, x.Length, gy.Length, batch, 0);
        int nnz = colIdx.Length;
        var ranges = ImageRanges(g, nnz, batch, threads);
        var partials = new float[ranges.Length][];
        fixed (int* pr = rowPtr, po = offsets)
        fixed (float* pg = gy, px = x)
        {
            nint r = (nint)pr, o = (nint)po, gs = (nint)pg, xs = (nint)px;
            Parallel(ranges, threads, range =>
            {
                var sums = partials[range.Index] = new float[nnz];
                fixed (float* ps = sums) WeightGradientImages(g, (int*)r, (int*)o, (float*)gs, (float*)xs, ps, range);
            });
        }
        gv[..nnz].Clear();
        foreach (var sums in partials)      // in range order: the same sum for the same thread count
            for (int k = 0; k < nnz; k++) gv[k] += sums[k];
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void CorrelateImages(ConvGeometry g, int* rowPtr, int* offsets, float* v, float* x, float* y, float* bias, ImageRange range)
    {
        int grid = RoundUp(g.Grid), oh = g.OutHeight, ow = g.OutWidth, wq = g.PhaseWidth;
        using var phases = new Scratch(PhasesLength(g));
        using var acc = new Scratch(grid);
        for (int n = range.Start; n < range.End; n++)
        {
            ToPhases(g, x + (long)n * g.InputSize, phases.Ptr);
            for (int o = 0; o < g.OutChannels; o++)
            {
                TileRow(phases.Ptr, offsets, v, rowPtr[o], rowPtr[o + 1], acc.Ptr, grid);
                float* yo = y + ((long)n * g.OutChannels + o) * oh * ow;
                for (int i = 0; i < oh; i++) Copy(acc.Ptr + i * wq, yo + i * ow, ow);
                if (bias != null)
                    for (int j = 0; j < oh * ow; j++) yo[j] += bias[o];
            }
        }
    }

    // acc[t] = Σ_k v[k] · x[offsets[k] + t] for t < grid (a multiple of Tile).
    [MethodImpl(MethodImplOptions.AggressiveInlining | MethodImplOptions.AggressiveOptimization)]
    private static void TileRow(float* x, int* offsets, float* v, int k0, int k1, float* acc, int grid)
    {
        for (int t = 0; t < grid; t += Tile)
        {
            Vector256<float> a0 = Vector256<float>.Zero, a1 = a0, a2 = a0, a3 = a0;
            for (int k = k0; k < k1; k++)
            {
                var w = Vector256.Create(v[k]);
                float* p = x + offsets[k] + t;
                a0 = MultiplyAdd(Vector256.Load(p), w, a0);
                a1 = MultiplyAdd(Vector256.Load(p + 8), w, a1);
                a2 = MultiplyAdd(Vector256.Load(p + 16), w, a2);
                a3 = MultiplyAdd(Vector256.Load(p + 24), w, a3);
            }
            a0.Store(acc + t);
            a1.Store(acc + t + 8);
            a2.Store(acc + t + 16);
            a3.Store(acc + t + 24);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void ScatterImages(ConvGeometry g, int* rowPtr, int* offsets, float* v, float* gy, float* gx, ImageRange range)
    {
        int grid = RoundUp(g.Grid);
        long length = PhasesLength(g);
        using var phases = new Scratch(length);
        using var grads = new Scratch((long)g.OutChannels * grid);
        for (int n = range.Start; n < range.End; n++)
        {
            new Span<float>(phases.Ptr, (int)length).Clear();
            ToGrid(g, gy + (long)n * g.OutputSize, grads.Ptr, grid);
            for (int o = 0; o < g.OutChannels; o++)
            {
                float* go = grads.Ptr + (long)o * grid;
                for (int k = rowPtr[o]; k < rowPtr[o + 1]; k++) Axpy(v[k], go, phases.Ptr + offsets[k], grid);
            }
            FromPhases(g, phases.Ptr, gx + (long)n * g.InputSize);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining | MethodImplOptions.AggressiveOptimization)]
    private static void Axpy(float a, float* x, float* y, int n)   // y += a · x, n a multiple of Tile
    {
        var w = Vector256.Create(a);
        for (int t = 0; t < n; t += 8) MultiplyAdd(Vector256.Load(x + t), w, Vector256.Load(y + t)).Store(y + t);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void WeightGradientImages(ConvGeometry g, int* rowPtr, int* offsets, float* gy, float* x, float* sums, ImageRange range)
    {
        int grid = RoundUp(g.Grid);
        using var phases = new Scratch(PhasesLength(g));
        using var grads = new Scratch((long)g.OutChannels * grid);
        for (int n = range.Start; n < range.End; n++)
        {
            ToPhases(g, x + (long)n * g.InputSize, phases.Ptr);
            ToGrid(g, gy + (long)n * g.OutputSize, grads.Ptr, grid);
            for (int o = 0; o < g.OutChannels; o++)
            {
                float* go = grads.Ptr + (long)o * grid;
                for (int k = rowPtr[o]; k < rowPtr[o + 1]; k++) sums[k] += Dot(go, phases.Ptr + offsets[k], grid);
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining | MethodImplOptions.AggressiveOptimization)]
    private static float Dot(float* a, float* b, int n)   // n a multiple of Tile
    {
        Vector256<float> s0 = Vector256<float>.Zero, s1 = s0, s2 = s0, s3 = s0;
        for (int t = 0; t < n; t += Tile)
        {
            s0 = MultiplyAdd(Vector256.Load(a + t), Vector256.Load(b + t), s0);
            s1 = MultiplyAdd(Vector256.Load(a + t + 8), Vector256.Load(b + t + 8), s1);
            s2 = MultiplyAdd(Vector256.Load(a + t + 16), Vector256.Load(b + t + 16), s2);
            s3 = MultiplyAdd(Vector256.Load(a + t + 24), Vector256.Load(b + t + 24), s3);
        }
        return Vector256.Sum((s0 + s1) + (s2 + s3));
    }

    // a · b + c: one instruction where the CPU has FMA (the portable Vector256.FusedMultiplyAdd is not accelerated everywhere).
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> MultiplyAdd(Vector256<float> a, Vector256<float> b, Vector256<float> c) =>
        Fma.IsSupported ? Fma.MultiplyAdd(a, b, c) : a * b + c;

    // ---- layouts ----

    // The image into its phase planes; padding and the tail stay as cleared.
    private static void ToPhases(ConvGeometry g, float* image, float* phases) => Rephase(g, image, phases, toPhases: true);

    // The input gradient's pixels back from the phase planes (the padding's entries are dropped).
    private static void FromPhases(ConvGeometry g, float* phases, float* image) => Rephase(g, image, phases, toPhases: false);

    // Row i of channel c is padded row a = i + ph, in phase row a mod sh at a / sh; its pixel j (padded column b = j + pw)
    // goes to phase column b mod sw at b / sw, so each phase column takes every sw-th pixel from the first j in it.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Rephase(ConvGeometry g, float* image, float* phases, bool toPhases)
    {
        int h = g.Height, w = g.Width, sw = g.StrideW;
        for (int c = 0; c < g.InChannels; c++)
            for (int i = 0; i < h; i++)
            {
                float* row = image + ((long)c * h + i) * w;
                for (int phase = 0; phase < sw && phase < w; phase++)
                {
                    int j0 = ((phase - g.PadW) % sw + sw) % sw;
                    float* at = phases + g.PhaseIndex(c, i + g.PadH, j0 + g.PadW);
                    if (sw == 1) { if (toPhases) Copy(row, at, w); else Copy(at, row, w); continue; }
                    for (int j = j0, q = 0; j < w; j += sw, q++)
                        if (toPhases) at[q] = row[j]; else row[j] = at[q];
                }
            }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Copy(float* from, float* to, int n)   // short rows: a call to memmove would cost more than the copy
    {
        int t = 0;
        for (; t + 8 <= n; t += 8) Vector256.Load(from + t).Store(to + t);
        for (; t < n; t++) to[t] = from[t];
    }

    // An image's output gradient (O, OH, OW) onto the grid; the scratch columns stay as cleared (zero).
    private static void ToGrid(ConvGeometry g, float* gy, float* grid, int gridLength)
    {
        int oh = g.OutHeight, ow = g.OutWidth, wq = g.PhaseWidth;
        for (int o = 0; o < g.OutChannels; o++)
            for (int i = 0; i < oh; i++)
                Copy(gy + ((long)o * oh + i) * ow, grid + (long)o * gridLength + i * wq, ow);
    }

    // The phase planes plus what the last tile of a run reads (or, scattering, writes) past them.
    private static long PhasesLength(ConvGeometry g) =>
        (long)g.InChannels * g.Phases * g.PhasePlane + (g.KernelH / g.StrideH + 2) * g.PhaseWidth + 2 * Tile;

    private static int RoundUp(int n) => (n + Tile - 1) / Tile * Tile;

    // ---- work split and checks ----

    private readonly record struct ImageRange(int Index, int Start, int End);

    private static ImageRange[] ImageRanges(ConvGeometry g, int nnz, int batch, int threads)
    {
        long work = (long)nnz * g.OutHeight * g.OutWidth * batch;
        int parts = threads <= 1 || work < SerialWork ? 1 : Math.Min(threads, batch);
        return [.. Enumerable.Range(0, parts).Select(p => new ImageRange(p, batch * p / parts, batch * (p + 1) / parts))];
    }

    private static void Parallel(ImageRange[] ranges, int threads, Action<ImageRange> body)
    {
        if (ranges.Length == 1) body(ranges[0]);
        else System.Threading.Tasks.Parallel.For(0, ranges.Length, new ParallelOptions { MaxDegreeOfParallelism = threads }, i => body(ranges[i]));
    }

    // Every index a routine computes from the structure stays inside the buffers it was given.
    private static void Check(ConvGeometry g, int[] rowPtr, int[] colIdx, int[] offsets, int values, long inputs, long outputs, int batch, int bias)
    {
        if (rowPtr.Length != g.OutChannels + 1 || rowPtr[0] != 0 || rowPtr[^1] != colIdx.Length || values < colIdx.Length || offsets.Length != colIdx.Length)
            throw new ArgumentException($"a sparse kernel of {g.OutChannels} output channels needs {g.OutChannels + 1} row pointers ending at its {colIdx.Length} stored taps, and one value and offset per tap");
        for (int o = 0; o < g.OutChannels; o++)
            if (rowPtr[o + 1] < rowPtr[o]) throw new ArgumentException($"row pointers decrease at output channel {o}");
        int columns = g.InChannels * g.Taps;
        for (int k = 0; k < colIdx.Length; k++)
        {
            int c = colIdx[k];
            if ((uint)c >= (uint)columns) throw new ArgumentException($"stored tap column {c} is outside the kernel's {columns} columns");
            if (offsets[k] != g.Offset(c / g.Taps, c % g.Taps / g.KernelW, c % g.KernelW)) throw new ArgumentException($"offset {offsets[k]} of stored tap {k} does not match its column {c}");
        }
        if (g.OutHeight <= 0 || g.OutWidth <= 0) throw new ArgumentException($"a {g.KernelH}×{g.KernelW} kernel does not fit a {g.Height}×{g.Width} input padded by {g.PadH}×{g.PadW}");
        if (inputs < (long)batch * g.InputSize || outputs < (long)batch * g.OutputSize)
            throw new ArgumentException($"{batch} images need {(long)batch * g.InputSize} input and {(long)batch * g.OutputSize} output values, got {inputs} and {outputs}");
        if (bias != 0 && bias < g.OutChannels) throw new ArgumentException($"{bias} biases for {g.OutChannels} output channels");
    }

    // A zeroed native buffer for one range's phase planes or grid.
    private readonly struct Scratch(long length) : IDisposable
    {
        public float* Ptr { get; } = (float*)NativeMemory.AllocZeroed((nuint)length, sizeof(float));
        public void Dispose() => NativeMemory.Free(Ptr);
    }
}
