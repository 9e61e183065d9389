// A batch of generated images as one PNG: the images in a grid of n columns
// (default ⌈√B⌉), rows filled left to right, a gap of background pixels
// between neighbours (none around the edge), each image optionally enlarged by
// an integer factor (nearest neighbour) so 28×28 samples are readable.
// Images are (B, C, H, W) with C = 1 (grey) or 3 (RGB) and values in [−1, 1],
// the range a diffusion model is trained in; a pixel is round((v + 1) · 127.5)
// after clamping v to [−1, 1] (a sampler's output overshoots a little), so
// −1 → 0 and 1 → 255; NaN is drawn as 0 (mid grey). Encoded by SkiaSharp,
// written through AtomicFile so a failed write leaves no half-written PNG.
using System.Runtime.InteropServices;
using SkiaSharp;
using SparseLab.Foundations;
using TorchSharp;
using static TorchSharp.torch;

namespace SparseLab.Diffusion;

public static class ImageGrid
{
    public const int DefaultGap = 2;
    public const byte DefaultBackground = 255;

    /// <summary>Writes the grid of <paramref name="images"/> as an RGB PNG at <paramref name="path"/> (see <see cref="Tile"/>).</summary>
    /// <exception cref="OutputWriteException">The file could not be written; nothing is left at <paramref name="path"/> but what was there.</exception>
    public static void Write(string path, Tensor images, int? columns = null, int gap = DefaultGap, int scale = 1,
        byte background = DefaultBackground)
    {
        byte[] png = Encode(images, columns, gap, scale, background);
        AtomicFile.Write(path, s => s.Write(png));
    }

    /// <summary>The grid as PNG bytes.</summary>
    public static byte[] Encode(Tensor images, int? columns = null, int gap = DefaultGap, int scale = 1, byte background = DefaultBackground)
    {
        using var grid = Tile(images, columns, gap, scale, background);     // (H', W', 3) uint8
        int height = (int)grid.shape[0], width = (int)grid.shape[1];
        byte[] rgb = grid.data<byte>().ToArray();
        using var bitmap = new SKBitmap(new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Opaque));
        var rgba = new byte[bitmap.RowBytes * height];
        for (int r = 0; r < height; r++)
            for (int col = 0; col < width; col++)
            {
                int from = (r * width + col) * 3, to = r * bitmap.RowBytes + col * 4;
                rgba[to] = rgb[from];
                rgba[to + 1] = rgb[from + 1];
                rgba[to + 2] = rgb[from + 2];
                rgba[to + 3] = 255;
            }
        Marshal.Copy(rgba, 0, bitmap.GetPixels(), rgba.Length);
        using var image = SKImage.FromBitmap(bitmap);
        using var data = image.Encode(SKEncodedImageFormat.Png, 100)
                         ?? throw new InvalidOperationException($"SkiaSharp could not encode a {width}×{height} PNG");
        return data.ToArray();
    }

    /// <summary>
    /// The grid as bytes: image k sits at row k / n, column k % n, its top-left pixel at
    /// (row · (H·scale + gap), column · (W·scale + gap)); the gaps and the cells after the last image are <paramref name="background"/>.
    /// A grey image is drawn in all three channels.
    /// </summary>
    /// <param name="images">(B, C, H, W), C = 1 or 3, values in [−1, 1] (clamped), any float dtype; not changed.</param>
    /// <param name="columns">n, default ⌈√B⌉.</param>
    /// <returns>(rows · (H·scale + gap) − gap, n · (W·scale + gap) − gap, 3) uint8 on the CPU, RGB.</returns>
    /// <exception cref="ArgumentException">Not (B, C, H, W) with B ≥ 1 and C = 1 or 3; columns or scale below 1; gap below 0.</exception>
    public static Tensor Tile(Tensor images, int? columns = null, int gap = DefaultGap, int scale = 1, byte background = DefaultBackground)
    {
        if (images.dim() != 4 || images.shape[0] < 1 || images.shape[1] is not (1 or 3))
            throw new ArgumentException($"images must be (B, C, H, W) with B ≥ 1 and C = 1 or 3, got ({string.Join(", ", images.shape)})", nameof(images));
        long b = images.shape[0];
        int n = columns ?? (int)Math.Ceiling(Math.Sqrt(b));
        if (n < 1) throw new ArgumentOutOfRangeException(nameof(columns), columns, "a grid needs at least 1 column");
        if (scale < 1) throw new ArgumentOutOfRangeException(nameof(scale), scale, "the upscale factor must be at least 1");
        if (gap < 0) throw new ArgumentOutOfRangeException(nameof(gap), gap, "the gap cannot be negative");
        using var scope = torch.NewDisposeScope();
        using var noGrad = torch.no_grad();
        var pixels = ToBytes(images.detach().cpu());                           // (B, C, H, W) uint8
        if (pixels.shape[1] == 1) pixels = pixels.expand(-1, 3, -1, -1);       // (B, 3, H, W)
        pixels = pixels.repeat_interleave(scale, 2).repeat_interleave(scale, 3); // (B, 3, h, w), h = H·scale
        long h = pixels.shape[2], w = pixels.shape[3];
        long rows = (b + n - 1) / n;
        var grid = torch.full(rows * (h + gap) - gap, n * (w + gap) - gap, 3, background, ScalarType.Byte); // (H', W', 3)
        for (long k = 0; k < b; k++)
        {
            long top = k / n * (h + gap), left = k % n * (w + gap);
            grid[TensorIndex.Slice(top, top + h), TensorIndex.Slice(left, left + w)] = pixels[k].permute(1, 2, 0); // (h, w, 3)
        }
        return grid.MoveToOuterDisposeScope();
    }

    /// <summary>[−1, 1] → {0, …, 255}: round((clamp(v, −1, 1) + 1) · 127.5); NaN → 0 first (mid grey).</summary>
    internal static Tensor ToBytes(Tensor images) =>
        images.to(ScalarType.Float32).nan_to_num(0.0).clamp(-1.0, 1.0).add(1.0).mul(127.5).round().to(ScalarType.Byte);
}
