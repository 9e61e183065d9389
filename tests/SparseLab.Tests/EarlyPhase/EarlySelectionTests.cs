// The early phase's batch choice (EarlyPhase/): the Fisher scores against a naive loop of single-example
// backward passes, the pick against a plain sort, one pool for every selection of a seed, the same rows for
// the same seed, the model left as it was, and the plain loader's batches from t* on.
using SparseLab.Data;
using SparseLab.EarlyPhase;
using SparseLab.Information;
using SparseLab.Tests.Information.Fisher;
using SparseLab.Tests.Training;
using SparseLab.Training.Tasks;
using TorchSharp;
using static TorchSharp.torch;

namespace SparseLab.Tests.EarlyPhase;

public sealed class EarlySelectionTests
{
    private static readonly string[] Selections = [EarlySelection.Fisher, EarlySelection.FisherHard, EarlySelection.Loss, EarlySelection.Random];

    private static bool Same(Tensor a, Tensor b) => a.shape.SequenceEqual(b.shape) && a.eq(b).all().item<bool>();

    private static double[] Totals(Dictionary<string, Tensor> perLayer)
    {
        var total = perLayer.Values.Aggregate((a, b) => a + b);
        return total.data<double>().ToArray();
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Given_a_pool_When_fisher_scores_it_Then_the_scores_are_the_single_example_gradient_norms_and_the_pick_is_the_B_lowest_or_highest(bool masked)
    {
        using var scope = torch.NewDisposeScope();
        var model = FisherTestKit.Model("mlp");
        using var mask = masked ? FisherTestKit.RandomMask(model) : null;
        var x = FisherTestKit.Input("mlp", 24);
        using var generator = new Generator(11);

        var (scores, drawn) = EarlySelection.TrueFisher(model, x, mask, generator);
        var naive = Totals(PerExampleGradients.Naive(model, x, torch.tensor(drawn), mask));   // one backward per example, at the labels drawn

        Assert.Equal(24, scores.Length);
        Assert.All(drawn, y => Assert.InRange(y, 0, 9));
        for (int i = 0; i < scores.Length; i++) Assert.Equal(naive[i], scores[i], naive.Max() * 1e-4);
        int[] byNaive = [.. Enumerable.Range(0, 24).OrderBy(i => naive[i])];
        Assert.Equal(byNaive.Take(6).Select(i => (long)i).Order(), EarlySelection.Pick(EarlySelection.Fisher, scores, 24, 6, null));
        Assert.Equal(byNaive.Reverse().Take(6).Select(i => (long)i).Order(), EarlySelection.Pick(EarlySelection.FisherHard, scores, 24, 6, null));
    }

    [Fact]
    public void Given_ties_When_picking_Then_the_earlier_pool_position_wins()
    {
        double[] scores = [3, 1, 2, 1, 5, 5];
        Assert.Equal([1L, 2, 3], EarlySelection.Pick(EarlySelection.Loss, scores, 6, 3, null));
        Assert.Equal([0L, 4, 5], EarlySelection.Pick(EarlySelection.FisherHard, scores, 6, 3, null));
    }

    [Fact]
    public void Given_the_loss_selection_Then_the_plan_keeps_the_B_lowest_single_example_losses_of_the_pool()
    {
        using var scope = torch.NewDisposeScope();
        var (data, info) = FisherTestKit.Images(200);
        var model = FisherTestKit.Model("mlp");
        var plan = new EarlySelectionPlan(EarlySelection.Loss, 3, 10, seed: 4, batchSize: 16, data, info);
        plan.Attach(model, () => null, CPU);

        var pool = plan.Pool(2);
        var loader = new BatchLoader(data, info, 16, train: false, CPU);
        var naive = pool.Select(row =>
        {
            using var noGrad = torch.no_grad();
            var (x, y) = loader.BatchOf([row], 0, 0, 0);                                          // one example at a time
            return nn.functional.cross_entropy(model.call(x).to(ScalarType.Float64), y).item<double>();
        }).ToArray();
        var expected = Enumerable.Range(0, pool.Length).OrderBy(i => naive[i]).Take(16).Select(i => pool[i]).ToHashSet();

        var rows = plan.Rows(2);
        Assert.Equal(16, rows.Length);
        Assert.True(expected.SetEquals(rows));
    }

    [Fact]
    public void Given_the_four_selections_with_one_seed_Then_every_step_draws_the_same_pool_and_each_batch_is_B_distinct_rows_of_it()
    {
        using var scope = torch.NewDisposeScope();
        var (data, info) = FisherTestKit.Images(300);
        var model = FisherTestKit.Model("mlp");
        var plans = Selections.Select(s =>
        {
            var p = new EarlySelectionPlan(s, 4, 5, seed: 7, batchSize: 20, data, info);
            p.Attach(model, () => null, CPU);
            return p;
        }).ToList();

        for (long step = 0; step < 3; step++)
        {
            var pool = plans[0].Pool(step);
            Assert.Equal(80, pool.Length);
            Assert.Equal(80, pool.Distinct().Count());
            foreach (var p in plans)
            {
                Assert.Equal(pool, p.Pool(step));                         // the same pool for every arm
                var rows = p.Rows(step);
                Assert.Equal(20, rows.Distinct().Count());
                Assert.Subset(pool.ToHashSet(), rows.ToHashSet());
            }
        }
        Assert.NotEqual(plans[0].Pool(0), plans[0].Pool(1));                // a fresh pool each step
        Assert.NotEqual(plans[0].Rows(0), plans[1].Rows(0));                // lowest and highest Fisher differ
        var otherSeed = new EarlySelectionPlan(EarlySelection.Random, 4, 5, seed: 8, batchSize: 20, data, info);
        Assert.NotEqual(plans[0].Pool(0), otherSeed.Pool(0));
    }

    [Fact]
    public void Given_the_same_seed_Then_the_same_rows_and_the_scoring_leaves_the_model_as_it_was()
    {
        using var scope = torch.NewDisposeScope();
        var (data, info) = FisherTestKit.Images(200);
        var model = FisherTestKit.Model("mlp");
        model.train();
        var before = model.parameters().Select(p => p.detach().clone()).ToList();
        long[] RowsOf(string select)
        {
            var p = new EarlySelectionPlan(select, 4, 5, seed: 3, batchSize: 16, data, info);
            p.Attach(model, () => null, CPU);
            return p.Rows(1);
        }

        foreach (var s in Selections) Assert.Equal(RowsOf(s), RowsOf(s));
        Assert.True(model.training);
        foreach (var (p, b) in model.parameters().Zip(before)) Assert.True(p.eq(b).all().item<bool>());
        Assert.All(model.parameters(), p => Assert.Null(p.grad));
    }

    [Fact]
    public void Given_steps_from_t_star_on_Then_the_batches_are_exactly_the_plain_loaders_and_before_it_the_selections()
    {
        using var data = ImageData.Load(TrainingRunTests.Tiny());
        var plan = new EarlySelectionPlan(EarlySelection.Random, 2, earlySteps: 3, seed: 1, batchSize: 64, data.Splits.Train, data.Splits.Info);
        int stepsPerEpoch = data.StepsPerEpoch(64);
        var loader = new BatchLoader(data.Splits.Train, data.Splits.Info, 64, train: true, CPU);
        for (long step = 0; step < 2 * stepsPerEpoch; step++)
        {
            using var scope = torch.NewDisposeScope();
            int epoch = (int)(step / stepsPerEpoch), index = (int)(step % stepsPerEpoch);
            var (x, y) = data.Batch(64, 1, epoch, index, step, CPU, plan);
            var (ex, ey) = step < 3 ? loader.BatchOf(plan.Rows(step), 1, epoch, index) : data.Batch(64, 1, epoch, index, step, CPU);
            Assert.Equal(step >= 3, !plan.Chooses(step));
            Assert.True(Same(x, ex) && Same(y, ey), $"step {step}");
        }
    }
}
