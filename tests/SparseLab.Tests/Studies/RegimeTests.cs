// The regime is read from the train gap's interval, not its mean: a gap whose
// interval straddles the threshold is undetermined, not "optimization".
using SparseLab.Studies;

namespace SparseLab.Tests.Studies;

public sealed class RegimeTests
{
    [Theory]
    [InlineData(0.002, -0.001, 0.005, 3, "generalization")]     // the whole interval below 1 point
    [InlineData(0.030, 0.015, 0.045, 3, "optimization")]        // the whole interval at or above 1 point
    [InlineData(0.0185, 0.0079, 0.0291, 2, "undetermined")]      // the demo's 0.98: mean above, interval straddles
    [InlineData(0.005, -0.01, 0.02, 2, "undetermined")]          // mean below, interval straddles (the mean alone said generalization)
    [InlineData(0.05, 0.05, 0.05, 1, "undetermined")]            // one seed: no interval
    public void Given_a_train_gap_interval_Then_the_regime_is_the_one_it_supports(double mean, double low, double high, int n, string regime) =>
        Assert.Equal(regime, StudyTables.RegimeOf(new Estimate(mean, 0, low, high, n), 0.01));
}
