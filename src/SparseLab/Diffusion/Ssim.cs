// The structural similarity index between two image batches (Wang, Bovik,
// Sheikh & Simoncelli 2004, "Image Quality Assessment: From Error Visibility to
// Structural Similarity", IEEE TIP 13(4)):
//   SSIM(x, y) = (2 μx μy + C1)(2 σxy + C2) / ((μx² + μy² + C1)(σx² + σy² + C2))   (Eq. 13)
// with C1 = (K1 L)², C2 = (K2 L)², K1 = 0.01, K2 = 0.03, L the data range; the
// local statistics weighted by an 11×11 circular-symmetric Gaussian window,
// σ = 1.5, summing to 1 (Eqs. 14–16), and the map averaged (MSSIM, Eq. 17).
// Matches skimage.metrics.structural_similarity(gaussian_weights=True,
// sigma=1.5, use_sample_covariance=False, data_range=L): its window is the same
// 11 taps, and it averages only the pixels whose window lies inside the image,
// which is a convolution without padding here. A colour image's SSIM is the
// mean over its channels' maps. Computed in float64 (σ² = E[x²] − μ² cancels).
using TorchSharp;
using static TorchSharp.torch;

namespace SparseLab.Diffusion;

public static class Ssim
{
    public const int WindowSize = 11;
    public const double Sigma = 1.5, K1 = 0.01, K2 = 0.03;

    /// <summary>The mean SSIM of the batch: the mean of <see cref="PerImage"/>.</summary>
    public static double Mean(Tensor x, Tensor y, double dataRange)
    {
        using var perImage = PerImage(x, y, dataRange);
        return perImage.mean().item<double>();
    }

    /// <summary>Each image pair's SSIM, the mean of its SSIM map over channels and positions; in [−1, 1].</summary>
    /// <param name="x">(B, C, H, W), any float dtype, H and W at least 11; not changed.</param>
    /// <param name="y">(B, C, H, W), the same shape.</param>
    /// <param name="dataRange">L, the span of values the images can take: 2 for [−1, 1], 1 for [0, 1], 255 for bytes.</param>
    /// <returns>(B) float64.</returns>
    /// <exception cref="ArgumentException">Shapes that differ, are not 4-d, or are smaller than the window; a range not above 0.</exception>
    public static Tensor PerImage(Tensor x, Tensor y, double dataRange)
    {
        if (!x.shape.SequenceEqual(y.shape))
            throw new ArgumentException($"SSIM compares images of the same shape, got ({Shape(x)}) and ({Shape(y)})");
        if (x.dim() != 4 || x.shape[2] < WindowSize || x.shape[3] < WindowSize)
            throw new ArgumentException($"SSIM needs (B, C, H, W) images of at least {WindowSize}×{WindowSize} pixels, got ({Shape(x)})");
        if (!(dataRange > 0))
            throw new ArgumentOutOfRangeException(nameof(dataRange), dataRange, "the data range must be above 0");
        using var scope = torch.NewDisposeScope();
        using var noGrad = torch.no_grad();
        long b = x.shape[0], c = x.shape[1];
        double c1 = Math.Pow(K1 * dataRange, 2), c2 = Math.Pow(K2 * dataRange, 2);
        var a = x.detach().to(ScalarType.Float64);                             // (B, C, H, W)
        var o = y.detach().to(ScalarType.Float64).to(a.device);                // (B, C, H, W)
        // One depthwise convolution for the five local moments: E[x], E[y], E[x²], E[y²], E[xy] under the window.
        var stack = torch.cat([a, o, a * a, o * o, a * o], 1);                 // (B, 5C, H, W)
        var window = Window(a.device).expand(5 * c, 1, WindowSize, WindowSize); // (5C, 1, 11, 11)
        var moments = torch.nn.functional.conv2d(stack, window, groups: 5 * c).chunk(5, 1); // 5 × (B, C, H−10, W−10)
        var (mx, my, exx, eyy, exy) = (moments[0], moments[1], moments[2], moments[3], moments[4]);
        var vx = exx - mx * mx;                                                // σx² (Eq. 15, squared)
        var vy = eyy - my * my;                                                // σy²
        var cxy = exy - mx * my;                                               // σxy (Eq. 16)
        var map = (2 * mx * my + c1) * (2 * cxy + c2)
                  / ((mx * mx + my * my + c1) * (vx + vy + c2));               // (B, C, H−10, W−10), Eq. 13
        return map.reshape(b, -1).mean([1]).MoveToOuterDisposeScope();         // (B), Eq. 17
    }

    /// <summary>The 11×11 Gaussian window, σ = 1.5, summing to 1: the outer product of the normalised 1-d taps.</summary>
    /// <returns>(1, 1, 11, 11) float64.</returns>
    public static Tensor Window(Device? device = null)
    {
        using var scope = torch.NewDisposeScope();
        var offsets = torch.arange(WindowSize, ScalarType.Float64, device) - WindowSize / 2;   // (11): −5 … 5
        var taps = (-offsets.square() / (2 * Sigma * Sigma)).exp();
        taps /= taps.sum();                                                    // (11)
        return torch.outer(taps, taps).reshape(1, 1, WindowSize, WindowSize).MoveToOuterDisposeScope();
    }

    private static string Shape(Tensor t) => string.Join(", ", t.shape);
}
