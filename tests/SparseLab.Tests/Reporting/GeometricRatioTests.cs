// The geometric-mean ratio of paired values with its log-scale t interval,
// and the median, against hand-worked examples.
using SparseLab.Reporting;

namespace SparseLab.Tests.Reporting;

public sealed class GeometricRatioTests
{
    [Fact]
    public void GivenRatiosOneTwoFour_WhenTheGeometricRatioIsComputed_ThenItMatchesTheHandWorkedInterval()
    {
        // ln ratios 0, ln 2, 2 ln 2: mean ln 2 → ratio 2; sd ln 2; half-width t₀.₉₇₅,₂ · ln 2 / √3 = 4.302653 · 0.693147 / 1.732051 = 1.721882;
        // interval 2 · e^(∓1.721882) = [0.357462, 11.189997].
        var r = Statistics.GeometricRatio([3.0, 10.0, 2.0], [3.0, 5.0, 0.5]);
        Assert.Equal(2.0, r.Ratio, 1e-12);
        Assert.Equal(0.357462, r.CiLow!.Value, 1e-5);
        Assert.Equal(11.189997, r.CiHigh!.Value, 1e-5);
        Assert.Equal(3, r.N);
    }

    [Fact]
    public void GivenTwoPairs_WhenTheGeometricRatioIsComputed_ThenTheIntervalIsTwoToTheMeanPlusMinusTheHalfWidth()
    {
        // ratios 2 and 4: ln-mean 1.5 ln 2 → 2^1.5; sd ln 2 / √2; half-width 12.706205 · (ln 2 / √2) / √2 = 6.353102 ln 2.
        var r = Statistics.GeometricRatio([2.0, 8.0], [1.0, 2.0]);
        Assert.Equal(Math.Pow(2, 1.5), r.Ratio, 1e-12);
        Assert.Equal(Math.Pow(2, 1.5 - 6.353102), r.CiLow!.Value, 1e-6);
        Assert.Equal(Math.Pow(2, 1.5 + 6.353102), r.CiHigh!.Value, 1e-3);
    }

    [Fact]
    public void GivenOnePairOrANonPositiveValue_ThenNoIntervalOrAnError()
    {
        var one = Statistics.GeometricRatio([3.0], [2.0]);
        Assert.Equal(1.5, one.Ratio, 12);
        Assert.Null(one.CiLow);
        Assert.Null(one.CiHigh);
        Assert.Throws<ArgumentException>(() => Statistics.GeometricRatio([1.0, -1.0], [1.0, 1.0]));
    }

    [Fact]
    public void GivenOddAndEvenCounts_WhenSummarized_ThenTheMedianSitsBesideTheMean()
    {
        Assert.Equal(3.0, Statistics.Summarize([10.0, 3.0, 1.0]).Median);
        var bimodal = Statistics.Summarize([0.1, 0.1, 0.8, 0.82]);
        Assert.Equal(0.45, bimodal.Median!.Value, 12);
        Assert.Equal(0.455, bimodal.Mean, 12);
        Assert.Equal(0.7, Statistics.Summarize([0.7]).Median);
    }
}
