// The ledger's verdict rules on hand-made numbers: the interval rule, how a
// claim measured at several sparsities combines, the climb of a linear path,
// and the two-regimes rule on a hand-built study result.
using SparseLab.Studies;
using SparseLab.Studies.Claims;

namespace SparseLab.Tests.Studies.Claims;

public sealed class VerdictTests
{
    private static Estimate E(double mean, double low, double high, int n = 5) => new(mean, 0.01, low, high, n);

    [Theory]
    [InlineData(0.02, 0.01, 0.03, 5, Verdicts.Holds)]
    [InlineData(-0.02, -0.03, -0.01, 5, Verdicts.Reverses)]
    [InlineData(0.001, -0.004, 0.004, 5, Verdicts.DoesNotHold)]      // within ±0.5 points
    [InlineData(0.001, -0.02, 0.02, 5, Verdicts.Undetermined)]       // too wide to tell
    [InlineData(0.05, 0.05, 0.05, 1, Verdicts.Undetermined)]         // one seed: no interval
    public void Given_an_interval_Then_the_directional_rule_gives_its_verdict(double mean, double low, double high, int n, string expected) =>
        Assert.Equal(expected, Verdicts.Directional(E(mean, low, high, n), margin: 0.005));

    [Theory]
    [InlineData(0.010, 0.005, 0.015, Verdicts.Holds)]
    [InlineData(-0.002, -0.006, 0.002, Verdicts.DoesNotHold)]        // its upper end below half the seed's smallest gap (1 point)
    [InlineData(0.002, -0.008, 0.012, Verdicts.Undetermined)]        // could still hold a 1-point gap
    [InlineData(-0.010, -0.015, -0.005, Verdicts.Reverses)]
    public void Given_a_same_mask_gap_Then_it_is_judged_against_zero_and_half_the_seed_effect(double mean, double low, double high, string expected) =>
        Assert.Equal(expected, SameMaskGap.Verdict(E(mean, low, high)));

    [Fact]
    public void Given_verdicts_at_several_sparsities_Then_they_combine_as_the_rule_says()
    {
        Assert.Equal(Verdicts.Holds, Verdicts.Combine([Verdicts.Holds, Verdicts.Undetermined]));
        Assert.Equal(Verdicts.Reverses, Verdicts.Combine([Verdicts.DoesNotHold, Verdicts.Reverses]));
        Assert.Equal(Verdicts.Undetermined, Verdicts.Combine([Verdicts.Holds, Verdicts.Reverses]));
        Assert.Equal(Verdicts.DoesNotHold, Verdicts.Combine([Verdicts.DoesNotHold, Verdicts.DoesNotHold]));
        Assert.Equal(Verdicts.Undetermined, Verdicts.Combine([Verdicts.DoesNotHold, Verdicts.Undetermined]));
    }

    [Fact]
    public void Given_a_path_Then_its_climb_is_the_largest_rise_above_the_running_minimum_inside_0_to_1()
    {
        // α = -0.2 lies outside [0, 1] and is ignored; the loss falls 2.0 → 1.0, climbs to 1.3, falls to 0.5: climb 0.3.
        var path = new StudyPath("init-s", "sol-f", 0.9, 1, [-0.2, 0, 0.25, 0.5, 0.75, 1], [9.0, 2.0, 1.0, 1.3, 0.8, 0.5], [], [], []);
        Assert.Equal(0.3, MonotonePath.Climb(path), 12);
        var falling = path with { TrainLoss = [9.0, 2.0, 1.5, 1.2, 0.8, 0.5] };
        Assert.Equal(0, MonotonePath.Climb(falling), 12);
    }

    private static GapStudyResult Result(params StudyRegime[] regimes) =>
        new(new Dictionary<string, object?>(), new Dictionary<string, object?>(), [], [], [], regimes);

    [Fact]
    public void Given_a_generalization_regime_gap_and_an_optimization_regime_Then_two_regimes_holds_and_without_the_gap_it_does_not()
    {
        var noGap = E(0.001, -0.004, 0.006);
        var gap = E(0.02, 0.01, 0.03);
        var holds = new TwoRegimes().Judge(Result(
            new StudyRegime(0.8, "generalization", 0.01, noGap, gap), new StudyRegime(0.98, "optimization", 0.01, gap, gap))).Single();
        Assert.Equal(Verdicts.Holds, holds.Verdict);
        var not = new TwoRegimes().Judge(Result(
            new StudyRegime(0.8, "generalization", 0.01, noGap, noGap), new StudyRegime(0.98, "optimization", 0.01, gap, gap))).Single();
        Assert.Equal(Verdicts.DoesNotHold, not.Verdict);
        var none = new TwoRegimes().Judge(Result(new StudyRegime(0.98, "optimization", 0.01, gap, gap))).Single();
        Assert.Equal(Verdicts.Undetermined, none.Verdict);
    }
}
