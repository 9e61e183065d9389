// The Gaussian fitted to a set of image features for the Fréchet distance
// (Heusel et al. 2017, "GANs Trained by a Two Time-Scale Update Rule Converge
// to a Local Nash Equilibrium", §"Fréchet Inception Distance"): the mean μ and
// the unbiased covariance Σ = Xcᵀ Xc / (N − 1) of N feature rows, in float64.
// The reference set's statistics (the test set's) are computed once and reused
// for every evaluation; Save/Load keep them between runs.
using System.Globalization;
using TorchSharp;
using SparseLab.Foundations;
using static TorchSharp.torch;

namespace SparseLab.Diffusion;

/// <param name="Mean">μ, (d) float64.</param>
/// <param name="Covariance">Σ, (d, d) float64, unbiased (divided by N − 1).</param>
/// <param name="Count">N, the number of feature rows (images) they were fitted to.</param>
public sealed record FeatureStatistics(Tensor Mean, Tensor Covariance, long Count) : IDisposable
{
    /// <summary>The property path a too-small image count is reported under (the CLI shows it as <c>--fid-images</c>).</summary>
    public const string DefaultCountField = "FidImages";

    public long Dimension => Mean.shape[0];

    /// <summary>Fits μ and Σ to <paramref name="features"/>; the result lives outside any dispose scope (dispose it).</summary>
    /// <param name="features">(N, d), any float dtype (float32 from a network); not changed.</param>
    /// <param name="countField">The option that set N, named when N is too small (a property path; see <see cref="ConfigError"/>).</param>
    /// <exception cref="ConfigError">N ≤ d: the covariance is singular (its rank is at most N − 1 &lt; d).</exception>
    /// <exception cref="ArgumentException">Not a 2-d tensor with at least one feature.</exception>
    public static FeatureStatistics From(Tensor features, string countField = DefaultCountField)
    {
        if (features.dim() != 2 || features.shape[1] < 1)
            throw new ArgumentException($"features must be (N, d) with d ≥ 1, got ({string.Join(", ", features.shape)})", nameof(features));
        long n = features.shape[0], d = features.shape[1];
        // N centred rows span at most N − 1 dimensions, so Σ has rank ≤ N − 1: full rank needs N ≥ d + 1.
        if (n <= d)
            throw new ConfigError($"{ConfigError.Field(countField)} {n}: the covariance of {n} images in {d} features is singular: " +
                                  $"use at least {d + 1} images");
        using var scope = torch.NewDisposeScope();
        using var noGrad = torch.no_grad();
        var x = features.detach().to(ScalarType.Float64);                      // (N, d)
        var mean = x.mean([0]);                                                // (d)
        var centred = x - mean;                                                // (N, d)
        var covariance = centred.t().matmul(centred).div_(n - 1);              // (d, d), unbiased
        return new FeatureStatistics(mean.MoveToOuterDisposeScope(), covariance.MoveToOuterDisposeScope(), n);
    }

    /// <summary>Writes μ, Σ and N as a safetensors file (atomically, with its checksum).</summary>
    public void Save(string path) =>
        SafeTensors.Write(path, [("mean", Mean), ("covariance", Covariance)],
            new Dictionary<string, string> { ["count"] = Count.ToString(CultureInfo.InvariantCulture) });

    /// <summary>Statistics written by <see cref="Save"/>; DataException naming the file if it is not such a file.</summary>
    public static FeatureStatistics Load(string path)
    {
        var raw = SafeTensors.ReadRaw(path);
        if (!raw.Tensors.TryGetValue("mean", out var mean) || !raw.Tensors.TryGetValue("covariance", out var covariance)
            || !raw.Metadata.TryGetValue("count", out var text)
            || !long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out long count))
            throw new DataException($"'{path}' is not a feature-statistics file: it needs tensors 'mean' and 'covariance' and a 'count'");
        long d = mean.Shape.Length == 1 ? mean.Shape[0] : -1;
        if (d < 1 || mean.DType != "F64" || covariance.DType != "F64" || !covariance.Shape.SequenceEqual([d, d]) || count <= d)
            throw new DataException($"'{path}' is not a valid feature-statistics file: mean ({string.Join(", ", mean.Shape)}) " +
                                    $"{mean.DType}, covariance ({string.Join(", ", covariance.Shape)}) {covariance.DType}, count {count}");
        return new FeatureStatistics(Float64(mean), Float64(covariance), count);
    }

    private static Tensor Float64(RawTensor raw)
    {
        var t = torch.empty(raw.Shape, ScalarType.Float64);
        t.bytes = System.Runtime.InteropServices.MemoryMarshal.AsMemory(raw.Data).Span;
        return t;
    }

    public void Dispose()
    {
        Mean.Dispose();
        Covariance.Dispose();
    }
}
