// Wanda (Sun et al. 2023, Eq. 1): scores |W_ij|·‖X_j‖₂ against an explicit
// loop over tokens (with a sequence axis and for a Conv2d's patches), keeps the
// same number of weights in every output row, scores later layers on the
// outputs of the pruned earlier ones, and keeps N:M groups exact.
using SparseLab.Data;
using SparseLab.Foundations;
using SparseLab.Sparsity;
using SparseLab.Sparsity.Criteria;
using TorchSharp;
using static TorchSharp.torch;

namespace SparseLab.Tests.Sparsity.Criteria;

public sealed class WandaCriterionTests
{
    private static PruningRequest Request(nn.Module<Tensor, Tensor> model, double sparsity, List<(Tensor, Tensor)> batches, string budget = "uniform") =>
        CriterionFixtures.Request(model, sparsity, batches, new InputShape(1, 1, 1, 2), budget: budget);

    private static List<(Tensor, Tensor)> SequenceBatches(long seed, long features) =>
        CriterionFixtures.Batches(seed, 3, 2, [5, features], 2, ScalarType.Float32);   // (B = 2, T = 5, features)

    [Fact]
    public void GivenALinearLayerWithASequenceAxis_WhenScoring_ThenScoresAreAbsWeightTimesTheInputNormOverAllTokens()
    {
        using var scope = torch.NewDisposeScope();
        torch.manual_seed(1);
        var model = nn.Sequential(("fc", nn.Linear(6, 4)));
        var batches = SequenceBatches(2, 6);
        var w = model.parameters().First().detach();

        var score = WandaCriterion.Score(Request(model, 0.5, batches), "fc.weight", w);

        // Naive: ‖X_j‖² = Σ over batches, examples and positions of x_j².
        var sq = new double[6];
        foreach (var (x, _) in batches)
            for (long b = 0; b < x.shape[0]; b++)
                for (long t = 0; t < x.shape[1]; t++)
                    for (long j = 0; j < 6; j++) sq[j] += Math.Pow(x[b, t, j].item<float>(), 2);
        for (long i = 0; i < 4; i++)
            for (long j = 0; j < 6; j++)
                Assert.Equal(Math.Abs(w[i, j].item<float>()) * Math.Sqrt(sq[j]), score[i, j].item<float>(), 1e-4);
    }

    [Fact]
    public void GivenAConv2d_WhenScoring_ThenTheNormIsOverEveryPatchPositionOfThePaddedInput()
    {
        using var scope = torch.NewDisposeScope();
        torch.manual_seed(4);
        var model = nn.Sequential(("conv", nn.Conv2d(2, 3, 3, stride: 2, padding: 1)));
        var batches = CriterionFixtures.Batches(5, 2, 2, [2, 5, 5], 2, ScalarType.Float32);
        var w = model.parameters().First().detach();                        // (3, 2, 3, 3)

        var score = WandaCriterion.Score(Request(model, 0.5, batches), "conv.weight", w);

        foreach (var (c, ki, kj) in new[] { (0L, 0L, 0L), (1L, 1L, 2L), (0L, 2L, 1L) })
        {
            double sq = 0;
            foreach (var (x, _) in batches)
            {
                var padded = nn.functional.pad(x, [1, 1, 1, 1]);            // (B, 2, 7, 7)
                for (long b = 0; b < x.shape[0]; b++)
                    for (long oh = 0; oh < 3; oh++)
                        for (long ow = 0; ow < 3; ow++) sq += Math.Pow(padded[b, c, 2 * oh + ki, 2 * ow + kj].item<float>(), 2);
            }
            for (long o = 0; o < 3; o++)
                Assert.Equal(Math.Abs(w[o, c, ki, kj].item<float>()) * Math.Sqrt(sq), score[o, c, ki, kj].item<float>(), 1e-4);
        }
    }

    [Theory]
    [InlineData(0.5, "uniform")]
    [InlineData(0.7, "uniform")]
    [InlineData(0.75, "global")]
    public void GivenASparsity_WhenPruning_ThenEveryOutputRowKeepsTheSameCountOfItsHighestScores(double sparsity, string budget)
    {
        using var scope = torch.NewDisposeScope();
        torch.manual_seed(6);
        var model = nn.Sequential(("fc", nn.Linear(20, 8)));
        var batches = SequenceBatches(7, 20);
        var request = Request(model, sparsity, batches, budget);
        var score = WandaCriterion.Score(request, "fc.weight", model.parameters().First().detach());

        using var mask = new WandaCriterion().Prune(request);

        long perRow = (long)Math.Round((1 - sparsity) * 20, MidpointRounding.AwayFromZero);
        var m = mask["fc.weight"];
        for (long i = 0; i < 8; i++)
        {
            Assert.Equal(perRow, m[i].sum().item<float>());
            // Every kept score in the row is at least every pruned one.
            var row = score[i];
            double minKept = row.masked_select(m[i].eq(1)).min().item<float>();
            double maxPruned = row.masked_select(m[i].eq(0)).max().item<float>();
            Assert.True(minKept >= maxPruned, $"row {i}: kept {minKept} < pruned {maxPruned}");
        }
    }

    [Fact]
    public void GivenTwoLayers_WhenPruning_ThenTheSecondIsScoredOnTheOutputOfThePrunedFirst()
    {
        using var scope = torch.NewDisposeScope();
        torch.manual_seed(8);
        var fc1 = nn.Linear(6, 5);
        var fc2 = nn.Linear(5, 3);
        var model = nn.Sequential(("fc1", fc1), ("relu", nn.ReLU()), ("fc2", fc2));
        var batches = SequenceBatches(9, 6);
        var before = CriterionFixtures.Snapshot(model);

        using var mask = new WandaCriterion().Prune(Request(model, 0.6, batches));

        CriterionFixtures.AssertBitIdentical(model, before);
        // By hand: fc2's input norms under the pruned fc1.
        var w1 = fc1.weight!.detach() * mask["fc1.weight"];
        var sq = torch.zeros(5, dtype: ScalarType.Float64);
        foreach (var (x, _) in batches)
        {
            var h = nn.functional.relu(nn.functional.linear(x, w1, fc1.bias!.detach())).reshape(-1, 5);
            sq += h.to(ScalarType.Float64).square().sum(dim: 0);
        }
        var expected = fc2.weight!.detach().abs() * sq.sqrt().to(ScalarType.Float32).unsqueeze(0);   // (3, 5)
        const int perRow = 2;   // round(0.4 · 5)
        var want = torch.zeros(3, 5).scatter_(1, expected.topk(perRow, dim: 1).indexes, torch.ones(3, perRow));
        Assert.True(want.eq(mask["fc2.weight"]).all().item<bool>());
    }

    [Fact]
    public void GivenTwoOfFour_WhenPruning_ThenEveryGroupKeepsExactlyTwoOfItsHighestScores()
    {
        using var scope = torch.NewDisposeScope();
        torch.manual_seed(10);
        var model = nn.Sequential(("fc", nn.Linear(12, 4)));
        var batches = SequenceBatches(11, 12);
        var request = Request(model, 0, batches);
        var score = WandaCriterion.Score(request, "fc.weight", model.parameters().First().detach());

        using var mask = new WandaCriterion(2, 4).Prune(request);

        var groups = mask["fc.weight"].reshape(-1, 4);
        Assert.True(groups.sum(1).eq(2).all().item<bool>());
        var s = score.reshape(-1, 4);
        var kept = s.masked_fill(groups.eq(0), double.PositiveInfinity).min(1).values;
        var pruned = s.masked_fill(groups.eq(1), double.NegativeInfinity).max(1).values;
        Assert.True(kept.ge(pruned).all().item<bool>());
    }

    [Fact]
    public void GivenNoCalibrationBatches_WhenPruning_ThenItSaysItNeedsThem()
    {
        using var scope = torch.NewDisposeScope();
        var model = nn.Sequential(("fc", nn.Linear(4, 2)));

        var error = Assert.ThrowsAny<InvalidOptionException>(() => new WandaCriterion().Prune(Request(model, 0.5, [])));

        Assert.Contains("calibration", error.Message);
    }
}
