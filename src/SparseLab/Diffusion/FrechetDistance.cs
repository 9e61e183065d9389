// The Fréchet distance between two Gaussians fitted to feature sets, the
// formula of the Fréchet Inception Distance (Heusel et al. 2017, "GANs Trained
// by a Two Time-Scale Update Rule Converge to a Local Nash Equilibrium", the
// FID definition; Dowson & Landau 1982 for the distance between Gaussians):
//   d² = ‖μ₁ − μ₂‖² + Tr(Σ₁ + Σ₂ − 2 (Σ₁^{1/2} Σ₂ Σ₁^{1/2})^{1/2}).
// FID reports d² itself, and so does Between. Everything is float64: the trace
// term is a difference of large, nearly equal numbers when the sets are close.
// Square roots come from the eigendecomposition of a symmetric matrix
// (torch.linalg.eigh), never from a general-matrix sqrtm.
using TorchSharp;
using static TorchSharp.torch;

namespace SparseLab.Diffusion;

public static class FrechetDistance
{
    /// <summary>d² between the Gaussians fitted to two feature sets; see <see cref="Between(FeatureStatistics, FeatureStatistics)"/>.</summary>
    /// <param name="a">(N₁, d) features, any float dtype.</param>
    /// <param name="b">(N₂, d) features.</param>
    /// <exception cref="SparseLab.Foundations.ConfigError">N₁ ≤ d or N₂ ≤ d (reported under <c>FidImages</c>, the CLI's <c>--fid-images</c>).</exception>
    public static double Between(Tensor a, Tensor b)
    {
        using var sa = FeatureStatistics.From(a);
        using var sb = FeatureStatistics.From(b);
        return Between(sa, sb);
    }

    /// <summary>
    /// d² = ‖μ₁ − μ₂‖² + Tr Σ₁ + Tr Σ₂ − 2 Tr (Σ₁^{1/2} Σ₂ Σ₁^{1/2})^{1/2}, at least 0. The last trace is Σᵢ √λᵢ over the
    /// eigenvalues of the symmetric PSD matrix Σ₁^{1/2} Σ₂ Σ₁^{1/2} (the same as those of Σ₁ Σ₂, so d² is symmetric in its arguments).
    /// </summary>
    /// <exception cref="ArgumentException">The two sets have different feature counts.</exception>
    public static double Between(FeatureStatistics a, FeatureStatistics b)
    {
        if (a.Dimension != b.Dimension)
            throw new ArgumentException($"the feature sets differ in width: {a.Dimension} and {b.Dimension} features");
        using var scope = torch.NewDisposeScope();
        using var noGrad = torch.no_grad();
        var dMean = a.Mean - b.Mean;                                           // (d)
        var rootA = SquareRoot(a.Covariance);                                  // (d, d) Σ₁^{1/2}
        var middle = rootA.matmul(b.Covariance).matmul(rootA);                 // (d, d) Σ₁^{1/2} Σ₂ Σ₁^{1/2}
        double traceRoot = ClampedEigenvalues(middle).sqrt().sum().item<double>();
        double d2 = dMean.dot(dMean).item<double>()
                    + a.Covariance.trace().item<double>() + b.Covariance.trace().item<double>() - 2 * traceRoot;
        // A distance is never negative; identical sets give d² of order −1e-12 from rounding.
        return Math.Max(0, d2);
    }

    /// <summary>
    /// The symmetric PSD square root S^{1/2} = V diag(√λ) Vᵀ of a symmetric positive semi-definite matrix S = V diag(λ) Vᵀ
    /// (the unique PSD root), computed in float64.
    /// </summary>
    /// <param name="spd">(d, d) symmetric PSD; only its symmetric part is used.</param>
    /// <returns>(d, d) float64.</returns>
    public static Tensor SquareRoot(Tensor spd)
    {
        if (spd.dim() != 2 || spd.shape[0] != spd.shape[1])
            throw new ArgumentException($"the matrix must be square, got ({string.Join(", ", spd.shape)})", nameof(spd));
        using var scope = torch.NewDisposeScope();
        var s = Symmetric(spd.to(ScalarType.Float64));                         // (d, d)
        var (lambda, v) = torch.linalg.eigh(s);                                // (d), (d, d): s = V diag(λ) Vᵀ
        var root = (v * Clamp(lambda).sqrt().unsqueeze(0)).matmul(v.t());      // (d, d): V diag(√λ) Vᵀ
        return Symmetric(root).MoveToOuterDisposeScope();
    }

    private static Tensor ClampedEigenvalues(Tensor spd) => Clamp(torch.linalg.eigvalsh(Symmetric(spd)));

    /// <summary>
    /// A PSD matrix has no negative eigenvalues, but rounding in the matrix and in the decomposition gives its zero (or
    /// nearly zero) eigenvalues values like −1e-17, whose square root would be NaN: set them to 0, their exact value.
    /// </summary>
    private static Tensor Clamp(Tensor eigenvalues) => eigenvalues.clamp_min(0.0);

    /// <summary>(M + Mᵀ) / 2: products such as Σ₁^{1/2} Σ₂ Σ₁^{1/2} are symmetric in exact arithmetic, not quite in floating point.</summary>
    private static Tensor Symmetric(Tensor m) => (m + m.t()) / 2;
}
