// The Fréchet distance (Heusel et al. 2017) against references computed another
// way: square roots worked by hand and by a Denman–Beavers iteration, the
// closed form (μ₁ − μ₂)² + (σ₁ − σ₂)² for 1-d Gaussians (and its sum over
// features for diagonal covariances) on features built to have exactly the
// given sample moments, and the trace term of the FID formula written as
// Tr (Σ₁ Σ₂)^{1/2} with the iteration's root. A set is at distance 0 from
// itself, the distance is symmetric, and too few images for the features are
// refused naming how many are needed.
using SparseLab.Diffusion;
using SparseLab.Foundations;
using TorchSharp;
using static TorchSharp.torch;

namespace SparseLab.Tests.Diffusion;

public sealed class FrechetDistanceTests
{
    private static Tensor Matrix(double[,] values) => torch.tensor(values, ScalarType.Float64);

    /// <summary>Denman & Beavers (1976): Y₀ = A, Z₀ = I, Y ← (Y + Z⁻¹)/2, Z ← (Z + Y⁻¹)/2; Y → A^{1/2} (principal root).</summary>
    private static Tensor DenmanBeavers(Tensor a, int iterations = 50)
    {
        var y = a.clone();
        var z = torch.eye(a.shape[0], dtype: ScalarType.Float64);
        for (int i = 0; i < iterations; i++)
        {
            var yInverse = torch.linalg.inv(y);
            var zInverse = torch.linalg.inv(z);
            (y, z) = ((y + zInverse) / 2, (z + yInverse) / 2);
        }
        return y;
    }

    private static Tensor RandomSpd(long d, long seed)
    {
        using var g = new Generator((ulong)seed);
        var m = torch.randn(d, d, dtype: ScalarType.Float64, generator: g);
        return m.matmul(m.t()) + 0.5 * torch.eye(d, dtype: ScalarType.Float64);
    }

    /// <summary>(N, d) features whose sample mean is exactly <paramref name="mean"/> and unbiased sample covariance exactly diag(σ²).</summary>
    private static Tensor WithMoments(long n, double[] mean, double[] sigma, long seed)
    {
        using var g = new Generator((ulong)seed);
        long d = mean.Length;
        var z = torch.randn(n, d, dtype: ScalarType.Float64, generator: g);
        z -= z.mean([0]);
        var cholesky = torch.linalg.cholesky(z.t().matmul(z) / (n - 1));      // sample covariance = L Lᵀ
        var white = z.matmul(torch.linalg.inv(cholesky).t());                   // sample covariance I, mean 0
        return white * torch.tensor(sigma, ScalarType.Float64) + torch.tensor(mean, ScalarType.Float64);
    }

    private static Tensor CorrelatedFeatures(long n, long d, long seed, double shift)
    {
        using var g = new Generator((ulong)seed);
        var mix = torch.randn(d, d, dtype: ScalarType.Float64, generator: g);
        return (torch.randn(n, d, dtype: ScalarType.Float64, generator: g).matmul(mix) + shift).to(ScalarType.Float32);
    }

    [Fact]
    public void GivenADiagonalMatrix_WhenTakingItsSquareRoot_ThenEachDiagonalEntryIsRooted()
    {
        using var scope = torch.NewDisposeScope();
        var root = FrechetDistance.SquareRoot(Matrix(new double[,] { { 4, 0 }, { 0, 9 } }));
        Assert.True(root.allclose(Matrix(new double[,] { { 2, 0 }, { 0, 3 } }), rtol: 0, atol: 1e-12));
    }

    [Fact]
    public void GivenANonDiagonalMatrix_WhenTakingItsSquareRoot_ThenItIsTheRootWorkedByHand()
    {
        using var scope = torch.NewDisposeScope();
        // [[2,1],[1,2]]² = [[4+1, 2+2],[2+2, 1+4]] = [[5,4],[4,5]], and [[2,1],[1,2]] has eigenvalues 3 and 1 (PSD).
        var root = FrechetDistance.SquareRoot(Matrix(new double[,] { { 5, 4 }, { 4, 5 } }));
        Assert.True(root.allclose(Matrix(new double[,] { { 2, 1 }, { 1, 2 } }), rtol: 0, atol: 1e-12));
    }

    [Fact]
    public void GivenASingularPsdMatrix_WhenTakingItsSquareRoot_ThenTheZeroEigenvalueGivesNoNaN()
    {
        using var scope = torch.NewDisposeScope();
        // [[1,1],[1,1]] = 2 P with P the projector onto (1,1)/√2 and eigenvalues 2, 0: its root is √2 P = [[1,1],[1,1]] / √2.
        var root = FrechetDistance.SquareRoot(Matrix(new double[,] { { 1, 1 }, { 1, 1 } }));
        double h = 1 / Math.Sqrt(2);
        // The zero eigenvalue comes out of eigh as ±1e-16 or so; clamped and rooted it adds at most 1e-8 to an entry.
        Assert.True(root.allclose(Matrix(new double[,] { { h, h }, { h, h } }), rtol: 0, atol: 1e-7));
    }

    [Fact]
    public void GivenARandomSpdMatrix_WhenTakingItsSquareRoot_ThenItMatchesTheDenmanBeaversIteration()
    {
        using var scope = torch.NewDisposeScope();
        var a = RandomSpd(6, seed: 3);
        var root = FrechetDistance.SquareRoot(a);
        Assert.True(root.allclose(DenmanBeavers(a), rtol: 0, atol: 1e-9));
        Assert.True(root.matmul(root).allclose(a, rtol: 0, atol: 1e-9));
    }

    [Theory]
    [InlineData(0.0, 1.0, 0.0, 1.0)]
    [InlineData(1.5, 1.0, -0.5, 2.0)]
    [InlineData(-3.0, 0.2, 2.0, 5.0)]
    public void GivenOneFeatureWithExactSampleMoments_WhenMeasuring_ThenTheDistanceIsTheClosedFormForGaussians(
        double mean1, double sigma1, double mean2, double sigma2)
    {
        using var scope = torch.NewDisposeScope();
        var a = WithMoments(50, [mean1], [sigma1], seed: 1);
        var b = WithMoments(70, [mean2], [sigma2], seed: 2);
        double expected = Math.Pow(mean1 - mean2, 2) + Math.Pow(sigma1 - sigma2, 2);
        Assert.Equal(expected, FrechetDistance.Between(a, b), 1e-9);
    }

    [Fact]
    public void GivenLargeFloat32SamplesOfKnownGaussians_WhenMeasuring_ThenTheDistanceIsNearTheClosedForm()
    {
        using var scope = torch.NewDisposeScope();
        using var g = new Generator(7);
        var a = (1.0 + 2.0 * torch.randn(20_000, 1, generator: g)).to(ScalarType.Float32);   // N(1, 2²)
        var b = (-0.5 + 0.5 * torch.randn(20_000, 1, generator: g)).to(ScalarType.Float32);  // N(−0.5, 0.5²)
        Assert.Equal(Math.Pow(1.5, 2) + Math.Pow(1.5, 2), FrechetDistance.Between(a, b), 0.1);
    }

    [Fact]
    public void GivenDiagonalCovariances_WhenMeasuring_ThenTheDistanceSumsTheOneFeatureClosedForms()
    {
        using var scope = torch.NewDisposeScope();
        double[] m1 = [0, 1, 2, -1], s1 = [1, 2, 0.5, 3], m2 = [1, 1, -2, 0], s2 = [2, 2, 1.5, 0.1];
        var a = WithMoments(40, m1, s1, seed: 4);
        var b = WithMoments(30, m2, s2, seed: 5);
        double expected = Enumerable.Range(0, 4).Sum(i => Math.Pow(m1[i] - m2[i], 2) + Math.Pow(s1[i] - s2[i], 2));
        Assert.Equal(expected, FrechetDistance.Between(a, b), 1e-9);
    }

    [Fact]
    public void GivenCorrelatedFeatures_WhenMeasuring_ThenTheTraceTermMatchesTheRootOfTheCovarianceProduct()
    {
        using var scope = torch.NewDisposeScope();
        var a = CorrelatedFeatures(100, 6, seed: 8, shift: 0);
        var b = CorrelatedFeatures(80, 6, seed: 9, shift: 0.3);
        // The FID formula as usually written: ‖μ₁ − μ₂‖² + Tr(Σ₁ + Σ₂ − 2 (Σ₁ Σ₂)^{1/2}), with numpy-style statistics.
        var (x, y) = (a.to(ScalarType.Float64), b.to(ScalarType.Float64));
        var (ca, cb) = (torch.cov(x.t()), torch.cov(y.t()));                   // unbiased, rows as variables
        var dMean = x.mean([0]) - y.mean([0]);
        double expected = dMean.dot(dMean).item<double>() + (ca + cb - 2 * DenmanBeavers(ca.matmul(cb))).trace().item<double>();
        Assert.Equal(expected, FrechetDistance.Between(a, b), 1e-8);
    }

    [Fact]
    public void GivenOneSet_WhenMeasuringItAgainstItself_ThenTheDistanceIsZero()
    {
        using var scope = torch.NewDisposeScope();
        var a = CorrelatedFeatures(200, 16, seed: 10, shift: 2);
        Assert.Equal(0, FrechetDistance.Between(a, a), 1e-9);
    }

    [Fact]
    public void GivenTwoSets_WhenSwappingThem_ThenTheDistanceIsTheSame()
    {
        using var scope = torch.NewDisposeScope();
        var a = CorrelatedFeatures(120, 10, seed: 11, shift: 0);
        var b = CorrelatedFeatures(90, 10, seed: 12, shift: 1);
        double ab = FrechetDistance.Between(a, b), ba = FrechetDistance.Between(b, a);
        Assert.True(ab > 1);
        Assert.Equal(ab, ba, 1e-9 * ab);
    }

    [Fact]
    public void GivenReferenceStatistics_WhenReusedOrSavedAndLoaded_ThenTheDistanceIsTheSame()
    {
        using var scope = torch.NewDisposeScope();
        using var dir = new TempDir();
        var a = CorrelatedFeatures(60, 5, seed: 13, shift: 0);
        var b = CorrelatedFeatures(40, 5, seed: 14, shift: 0.5);
        using var reference = FeatureStatistics.From(a);
        Assert.Equal(60, reference.Count);
        Assert.Equal(5, reference.Dimension);
        reference.Save(dir.Combine("reference.safetensors"));
        using var loaded = FeatureStatistics.Load(dir.Combine("reference.safetensors"));
        using var generated = FeatureStatistics.From(b);
        double direct = FrechetDistance.Between(a, b);
        Assert.Equal(direct, FrechetDistance.Between(reference, generated), 1e-12);
        Assert.Equal(direct, FrechetDistance.Between(loaded, generated), 1e-12);
        Assert.Equal(60, loaded.Count);
    }

    [Fact]
    public void GivenASafetensorsFileOfOtherTensors_WhenLoadingStatistics_ThenItIsRefusedNamingTheFile()
    {
        using var scope = torch.NewDisposeScope();
        using var dir = new TempDir();
        string path = dir.Combine("mask.safetensors");
        SafeTensors.Write(path, [("weight", torch.ones(3))]);
        var e = Assert.Throws<DataException>(() => FeatureStatistics.Load(path));
        Assert.Contains(path, e.Message);
    }

    [Theory]
    [InlineData(8)]
    [InlineData(3)]
    public void GivenNoMoreImagesThanFeatures_WhenFittingStatistics_ThenItIsRefusedSayingHowManyAreNeeded(int images)
    {
        using var scope = torch.NewDisposeScope();
        var features = torch.randn(images, 8);
        var e = Assert.Throws<ConfigError>(() => FrechetDistance.Between(features, torch.randn(100, 8)));
        Assert.Equal($"fid_images {images}: the covariance of {images} images in 8 features is singular: use at least 9 images", e.Message);
        Assert.Equal(["FidImages"], e.Fields);
        Assert.Equal(2, e.ExitCode);
    }

    [Fact]
    public void GivenOneMoreImageThanFeatures_WhenMeasuring_ThenItIsAccepted()
    {
        using var scope = torch.NewDisposeScope();
        Assert.True(FrechetDistance.Between(torch.randn(9, 8), torch.randn(9, 8)) >= 0);
    }

    [Fact]
    public void GivenSetsOfDifferentWidths_WhenMeasuring_ThenItIsRefused()
    {
        using var scope = torch.NewDisposeScope();
        var e = Assert.Throws<ArgumentException>(() => FrechetDistance.Between(torch.randn(20, 4), torch.randn(20, 5)));
        Assert.Contains("4 and 5 features", e.Message);
    }
}
