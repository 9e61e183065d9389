// The curriculum's order and sampler (METHODS §7): batches come only from the current prefix,
// the prefix reaches the whole set on schedule, every prefix can be class-balanced, and the
// same seed gives the same batches.
using SparseLab.Curriculum;

namespace SparseLab.Tests.Curriculum;

public sealed class SamplerAndOrderTests
{
    private static readonly PacingOptions Linear = new("linear", A: 0.5, B: 0.2);

    [Fact]
    public void Given_scores_Then_curriculum_is_ascending_anti_descending_and_random_a_permutation()
    {
        double[] scores = [0.5, 0.1, 0.9, 0.3];
        long[] labels = [0, 1, 0, 1];
        Assert.Equal([1L, 3, 0, 2], ExampleOrder.Build(scores, labels, "curriculum", false, 1));
        Assert.Equal([2L, 0, 3, 1], ExampleOrder.Build(scores, labels, "anti", false, 1));
        var random = ExampleOrder.Build(scores, labels, "random", false, 1);
        Assert.Equal([0L, 1, 2, 3], random.Order());
        Assert.Equal(random, ExampleOrder.Build(scores, labels, "random", false, 1));
    }

    [Fact]
    public void Given_a_step_Then_every_row_comes_from_the_prefix_the_pacing_allows_and_the_full_set_is_reached_at_aT()
    {
        var rng = new Random(3);
        long[] order = [.. Enumerable.Range(0, 1000).Select(i => (long)i).OrderBy(_ => rng.Next())];
        var sampler = new CurriculumSampler(order, Linear, totalSteps: 100, batchSize: 32, seed: 7);
        for (long t = 0; t < 100; t++)
        {
            long pool = sampler.PoolSize(t);
            var allowed = order.Take((int)pool).ToHashSet();
            var rows = sampler.Rows(t);
            Assert.Equal(32, rows.Length);
            Assert.Equal(32, rows.Distinct().Count());                        // without replacement within a batch
            Assert.All(rows, r => Assert.Contains(r, allowed));
        }
        Assert.Equal(200, sampler.PoolSize(0));
        Assert.True(sampler.PoolSize(49) < 1000);
        Assert.Equal(1000, sampler.PoolSize(50));
        // Late in training the draws cover the tail of the order too.
        var late = Enumerable.Range(50, 50).SelectMany(t => sampler.Rows(t)).ToHashSet();
        Assert.Contains(late, r => Array.IndexOf(order, r) >= 900);
    }

    [Fact]
    public void Given_the_same_seed_Then_the_same_batches_and_another_seed_other_batches()
    {
        long[] order = [.. Enumerable.Range(0, 500).Select(i => (long)i)];
        var a = new CurriculumSampler(order, Linear, 40, 16, seed: 1);
        var b = new CurriculumSampler(order, Linear, 40, 16, seed: 1);
        var c = new CurriculumSampler(order, Linear, 40, 16, seed: 2);
        for (long t = 0; t < 40; t++) Assert.Equal(a.Rows(t), b.Rows(t));
        Assert.NotEqual(a.Rows(5), c.Rows(5));
        Assert.NotEqual(a.Rows(5), a.Rows(6));
    }

    [Fact]
    public void Given_balance_Then_every_prefix_holds_each_class_in_proportion_within_one_example()
    {
        var rng = new Random(5);
        // Unequal classes: 300 of class 0, 200 of class 1, 100 of class 2; scores make class 0 all "easy".
        long[] labels = [.. Enumerable.Repeat(0L, 300).Concat(Enumerable.Repeat(1L, 200)).Concat(Enumerable.Repeat(2L, 100))];
        double[] scores = [.. labels.Select(l => l * 10 + rng.NextDouble())];
        var order = ExampleOrder.Build(scores, labels, "curriculum", balanceClasses: true, seed: 1);
        Assert.Equal(600, order.Distinct().Count());
        var counts = new int[3];
        for (int k = 0; k < order.Length; k++)
        {
            counts[labels[order[k]]]++;
            for (int c = 0; c < 3; c++)
            {
                double share = (k + 1) * (c switch { 0 => 300, 1 => 200, _ => 100 }) / 600.0;
                Assert.InRange(counts[c], share - 1, share + 1);
            }
        }
        // Within a class the score order holds.
        var class1 = order.Where(i => labels[i] == 1).Select(i => scores[i]).ToList();
        Assert.Equal(class1.Order(), class1);
    }
}

public sealed class SamplerUniformityTests
{
    [Fact]
    public void Given_a_fixed_pool_Then_the_sampler_draws_every_example_of_it_equally_often()
    {
        // fixed-exp from half the set with growth only after 10^6 steps: a pool of the first 50 of 100, for 2,000 steps of 10.
        long[] order = [.. Enumerable.Range(0, 100).Select(i => (long)(99 - i))];
        var sampler = new SparseLab.Curriculum.CurriculumSampler(order, new SparseLab.Curriculum.PacingOptions("fixed-exp", Sp: 0.5, Inc: 2, Step: 1_000_000), 2000, 10, 7);
        var counts = new Dictionary<long, int>();
        for (long t = 0; t < 2000; t++)
        {
            var rows = sampler.Rows(t);
            Assert.Equal(10, rows.Distinct().Count());                                   // without replacement within a batch
            foreach (var r in rows) counts[r] = counts.GetValueOrDefault(r) + 1;
        }
        Assert.Equal(order.Take(50).Order(), counts.Keys.Order());                       // only the pool, all of it
        double expected = 2000 * 10 / 50.0;
        double chi2 = counts.Values.Sum(c => (c - expected) * (c - expected) / expected);
        Assert.True(chi2 < 85.35, $"chi-square {chi2:F1} with 49 degrees of freedom is beyond its 0.999 quantile (85.35): not uniform");
    }
}
