// SparseGPT (Frantar & Alistarh 2023, Algorithm 1) against references computed
// another way: with a fixed mask whose pruned weights lead each row, the
// sequential OBS updates equal the row-wise least-squares solve
// min (w − ŵ)ᵀ H (w − ŵ) over ŵ on the mask (normal equations in float64),
// whatever the block size; with its own mask on correlated inputs its output
// error is far below magnitude pruning's; 2:4 is exactly 2:4; the criterion
// leaves the model as it found it and refuses what it cannot do.
using SparseLab.Data;
using SparseLab.Foundations;
using SparseLab.Sparsity;
using SparseLab.Sparsity.Criteria;
using TorchSharp;
using static TorchSharp.torch;

namespace SparseLab.Tests.Sparsity.Criteria;

public sealed class SparseGptTests
{
    /// <summary>(tokens, features) inputs with strongly correlated features: a low-rank signal plus a little noise.</summary>
    private static Tensor CorrelatedInputs(long seed, long tokens, long features)
    {
        using var g = new Generator((ulong)seed);
        var basis = torch.randn(3, features, dtype: ScalarType.Float64, generator: g);
        var z = torch.randn(tokens, 3, dtype: ScalarType.Float64, generator: g);
        return z.matmul(basis) + 0.1 * torch.randn(tokens, features, dtype: ScalarType.Float64, generator: g);
    }

    private static Tensor Hessian(Tensor x) => 2.0 * x.t().matmul(x) / x.shape[0];

    /// <summary>Row-wise argmin (w − ŵ)ᵀ H (w − ŵ) with ŵ zero where keep is 0: H_KK ŵ_K = (H w)_K.</summary>
    private static Tensor LeastSquares(Tensor w, Tensor H, Tensor keep)
    {
        var result = torch.zeros_like(w);
        for (long r = 0; r < w.shape[0]; r++)
        {
            var k = keep[r].nonzero().flatten();
            var Hkk = H.index_select(0, k).index_select(1, k);
            var rhs = H.matmul(w[r]).index_select(0, k);
            result[r].index_copy_(0, k, torch.linalg.solve(Hkk, rhs));
        }
        return result;
    }

    private static double OutputError(Tensor w, Tensor wHat, Tensor x) => (x.matmul((w - wHat).t())).square().sum().item<double>();

    private static Tensor Damped(Tensor H, double damp) => H + damp * H.diagonal().mean() * torch.eye(H.shape[0], dtype: H.dtype);

    [Theory]
    [InlineData(128)]
    [InlineData(4)]
    [InlineData(5)]
    public void GivenAFixedMaskPrunedFirstInEachRow_WhenSolving_ThenTheWeightsAreTheLeastSquaresSolutionOnTheMask(int blockSize)
    {
        using var scope = torch.NewDisposeScope();
        var x = CorrelatedInputs(1, 200, 12);
        var H = Hessian(x);
        torch.manual_seed(2);
        var w = torch.randn(5, 12, dtype: ScalarType.Float64);
        var keep = torch.ones(5, 12);
        long[] prefix = [3, 6, 1, 8, 5];
        for (int r = 0; r < 5; r++) keep[r, TensorIndex.Slice(0, prefix[r])] = torch.zeros(prefix[r]);
        long pruned = prefix.Sum();

        var result = SparseGptSolver.Solve(w, H, pruned, damp: 0.01, blockSize: blockSize, current: keep);

        Assert.True(result.Keep.eq(keep).all().item<bool>());
        var expected = LeastSquares(w, Damped(H, 0.01), keep);
        Assert.True((result.Weights - expected).abs().max().item<double>() < 1e-8,
            $"max |Δ| = {(result.Weights - expected).abs().max().item<double>()}");
    }

    [Fact]
    public void GivenAnyFixedMask_WhenSolving_ThenTheErrorLiesBetweenTheLeastSquaresOptimumAndTheMaskedWeights()
    {
        using var scope = torch.NewDisposeScope();
        var x = CorrelatedInputs(3, 400, 16);
        var H = Hessian(x);
        torch.manual_seed(4);
        var w = torch.randn(6, 16, dtype: ScalarType.Float64);
        var keep = torch.rand(6, 16).ge(0.5).to(ScalarType.Float32);
        long pruned = keep.eq(0).sum().item<long>();

        var result = SparseGptSolver.Solve(w, H, pruned, damp: 1e-6, current: keep);

        double sparseGpt = OutputError(w, result.Weights, x);
        double optimum = OutputError(w, LeastSquares(w, Damped(H, 1e-6), keep), x);
        double masked = OutputError(w, w * keep, x);
        // Column order: a pruned weight is compensated only by the columns after it (kept weights
        // before it are already fixed), so an arbitrary mask lands between w ⊙ mask and the optimum.
        Assert.True(optimum <= sparseGpt * (1 + 1e-9), $"sparsegpt {sparseGpt}, least squares {optimum}");
        Assert.True(sparseGpt < 0.8 * masked, $"sparsegpt {sparseGpt}, least squares {optimum}, w ⊙ mask {masked}");
    }

    [Fact]
    public void GivenCorrelatedInputs_WhenChoosingItsOwnMask_ThenTheOutputErrorIsFarBelowMagnitudePruning()
    {
        using var scope = torch.NewDisposeScope();
        var x = CorrelatedInputs(5, 400, 32);
        torch.manual_seed(6);
        var w = torch.randn(8, 32, dtype: ScalarType.Float64);

        var result = SparseGptSolver.Solve(w, Hessian(x), 8 * 32 / 2, blockSize: 8);

        Assert.Equal(128, result.Keep.sum().item<float>());
        Assert.True(result.Weights.masked_select(result.Keep.eq(0)).eq(0).all().item<bool>());
        var magnitude = torch.zeros(256, dtype: ScalarType.Float64).index_fill_(0, w.abs().flatten().topk(128).indexes, 1.0).view(8, 32);
        double sparseGpt = OutputError(w, result.Weights, x), byMagnitude = OutputError(w, w * magnitude, x);
        Assert.True(sparseGpt < byMagnitude / 4, $"sparsegpt {sparseGpt}, magnitude {byMagnitude}");
    }

    [Fact]
    public void GivenTwoOfFour_WhenSolving_ThenEveryGroupOfFourKeepsExactlyTwo()
    {
        using var scope = torch.NewDisposeScope();
        var x = CorrelatedInputs(7, 100, 16);
        torch.manual_seed(8);
        var w = torch.randn(4, 16, dtype: ScalarType.Float64);

        var result = SparseGptSolver.Solve(w, Hessian(x), 0, nm: (2, 4), blockSize: 8);

        Assert.True(result.Keep.reshape(-1, 4).sum(1).eq(2).all().item<bool>());
        Assert.True(result.Weights.masked_select(result.Keep.eq(0)).eq(0).all().item<bool>());
    }

    private static nn.Module<Tensor, Tensor> TwoLayers(long seed)
    {
        torch.manual_seed(seed);
        return nn.Sequential(("fc1", nn.Linear(16, 12)), ("relu", nn.ReLU()), ("fc2", nn.Linear(12, 4)));
    }

    /// <summary>Four batches of 32 tokens from one correlated distribution.</summary>
    private static List<(Tensor, Tensor)> Batches(long seed) =>
        [.. CorrelatedInputs(seed, 128, 16).to(ScalarType.Float32).split(32).Select(x => (x, torch.zeros(32, dtype: ScalarType.Int64)))];

    [Fact]
    public void GivenAModel_WhenReconstructing_ThenEachLayerMeetsItsSparsityTheModelIsUnchangedAndTheFirstLayerBeatsMagnitude()
    {
        using var scope = torch.NewDisposeScope();
        var model = TwoLayers(9);
        var batches = Batches(10);
        var before = CriterionFixtures.Snapshot(model);
        var request = CriterionFixtures.Request(model, 0.5, batches, new InputShape(1, 1, 16, 4), budget: "uniform");

        using var r = new SparseGptCriterion().Reconstruct(request);
        using var m = new MaskOnly(new MagnitudeCriterion()).Reconstruct(request);

        CriterionFixtures.AssertBitIdentical(model, before);
        Assert.All(r.Mask.Layers, l => Assert.Equal(0.5, l.Sparsity, 10));
        var x = torch.cat([.. batches.Select(b => b.Item1)], 0);
        var w1 = model.parameters().First().detach();
        double sparseGpt = x.matmul((w1 - r.Weights["fc1.weight"]).t()).square().sum().item<float>();
        double magnitude = x.matmul((w1 - m.Weights["fc1.weight"]).t()).square().sum().item<float>();
        Assert.True(sparseGpt < magnitude / 4, $"sparsegpt {sparseGpt}, magnitude {magnitude}");
        Assert.True(r.Weights["fc2.weight"].masked_select(r.Mask["fc2.weight"].eq(0)).eq(0).all().item<bool>());
    }

    [Fact]
    public void GivenTwoOfFour_WhenReconstructing_ThenEveryLayerIsExactlyTwoOfFour()
    {
        using var scope = torch.NewDisposeScope();
        var model = TwoLayers(11);
        var request = CriterionFixtures.Request(model, 0, Batches(12), new InputShape(1, 1, 16, 4), budget: "uniform");

        using var r = new SparseGptCriterion(2, 4).Reconstruct(request);

        foreach (var name in r.Mask.Names)
        {
            Assert.True(r.Mask[name].reshape(-1, 4).sum(1).eq(2).all().item<bool>(), name);
            Assert.Equal(0, r.Weights[name].ne(0).logical_and(r.Mask[name].eq(0)).sum().item<long>());
        }
    }

    [Fact]
    public void GivenTheGlobalBudgetOrAnUnsupportedLayer_WhenReconstructing_ThenItRefusesByName()
    {
        using var scope = torch.NewDisposeScope();
        var model = TwoLayers(13);
        var global = Assert.ThrowsAny<InvalidOptionException>(() =>
            new SparseGptCriterion().Reconstruct(CriterionFixtures.Request(model, 0.5, Batches(14), new InputShape(1, 1, 16, 4), budget: "global")));
        Assert.Contains("--budget global", global.Message);

        var grouped = nn.Sequential(("conv", nn.Conv2d(4, 4, 3, groups: 2)));
        var error = Assert.ThrowsAny<InvalidOptionException>(() =>
            new SparseGptCriterion().Reconstruct(CriterionFixtures.Request(grouped, 0.5, [], new InputShape(4, 5, 5, 2), budget: "uniform")));
        Assert.Contains("'conv.weight'", error.Message);
        Assert.Contains("grouped", error.Message);
    }

    [Fact]
    public void GivenAStridedConv2dOnSmoothImages_WhenReconstructing_ThenItsOutputErrorIsFarBelowMagnitudeAtTheSameSparsity()
    {
        using var scope = torch.NewDisposeScope();
        torch.manual_seed(15);
        var conv = nn.Conv2d(2, 4, 3, stride: 2);
        var model = nn.Sequential(("conv", conv));
        // Neighbouring pixels correlate: one level per image and channel, plus a little noise.
        var x = torch.randn(16, 2, 1, 1).expand(16, 2, 9, 9) + 0.05 * torch.randn(16, 2, 9, 9);
        var request = CriterionFixtures.Request(model, 0.6, [(x, torch.zeros(16, dtype: ScalarType.Int64))], new InputShape(2, 8, 8, 2), budget: "uniform");

        using var r = new SparseGptCriterion().Reconstruct(request);
        using var m = new MaskOnly(new MagnitudeCriterion()).Reconstruct(request);

        var w = conv.weight!.detach();
        double Error(Tensor wHat) => (nn.functional.conv2d(x, w, strides: [2, 2]) - nn.functional.conv2d(x, wHat, strides: [2, 2])).square().sum().item<float>();
        Assert.Equal(0.6, r.Mask.Sparsity, 2);
        Assert.True(Error(r.Weights["conv.weight"]) < Error(m.Weights["conv.weight"]) / 4,
            $"sparsegpt {Error(r.Weights["conv.weight"])}, magnitude {Error(m.Weights["conv.weight"])}");
    }
}
