// Student-t quantiles, seed summaries and paired differences against values
// from standard t tables and hand calculation.
using SparseLab.Reporting;

namespace SparseLab.Tests.Reporting;

public sealed class StatisticsTests
{
    [Theory]
    [InlineData(1, 12.7062)]
    [InlineData(2, 4.3027)]
    [InlineData(4, 2.7764)]
    [InlineData(9, 2.2622)]
    [InlineData(30, 2.0423)]
    public void GivenDegreesOfFreedom_WhenTheUpper975QuantileIsComputed_ThenItMatchesTheTTable(int df, double expected) =>
        Assert.Equal(expected, Statistics.StudentTQuantile(0.975, df), 1e-3);

    [Theory]
    [InlineData(-3.0)]
    [InlineData(-0.4)]
    [InlineData(0.0)]
    [InlineData(1.0)]
    [InlineData(12.7062)]
    public void GivenOneDegreeOfFreedom_WhenTheCdfIsComputed_ThenItIsTheCauchyCdf(double t) =>
        Assert.Equal(0.5 + Math.Atan(t) / Math.PI, Statistics.StudentTCdf(t, 1), 1e-10);

    [Theory]
    [InlineData(1.0, 1.0, 0.3, 0.3)]                 // I_x(1, 1) = x
    [InlineData(3.0, 1.0, 0.6, 0.216)]               // I_x(a, 1) = x^a
    [InlineData(1.0, 4.0, 0.2, 0.5904)]              // I_x(1, b) = 1 − (1 − x)^b
    [InlineData(0.5, 0.5, 0.25, 1.0 / 3.0)]          // I_x(½, ½) = (2/π) asin √x
    public void GivenClosedFormCases_WhenTheIncompleteBetaIsComputed_ThenItMatches(double a, double b, double x, double expected) =>
        Assert.Equal(expected, SpecialFunctions.RegularizedIncompleteBeta(a, b, x), 1e-10);

    [Fact]
    public void GivenOneToFour_WhenSummarized_ThenMeanSdAndIntervalMatchTheHandCalculation()
    {
        var e = Statistics.Summarize([1.0, 2.0, 3.0, 4.0]);
        double half = 3.1824 * 1.2910 / 2;
        Assert.Equal(2.5, e.Mean, 12);
        Assert.Equal(1.2910, e.Sd, 1e-4);
        Assert.Equal(2.5 - half, e.CiLow, 1e-3);
        Assert.Equal(2.5 + half, e.CiHigh, 1e-3);
        Assert.Equal(4, e.N);
    }

    [Fact]
    public void GivenOneValue_WhenSummarized_ThenSdIsZeroAndTheIntervalCollapsesToTheMean()
    {
        var e = Statistics.Summarize([0.7]);
        Assert.Equal((0.7, 0.0, 0.7, 0.7, 1), (e.Mean, e.Sd, e.CiLow, e.CiHigh, e.N));
    }

    [Fact]
    public void GivenNoValues_WhenSummarized_ThenItThrows() =>
        Assert.Throws<ArgumentException>(() => Statistics.Summarize([]));

    [Fact]
    public void GivenPairedSeeds_WhenPaired_ThenItSummarizesThePerSeedDifferences()
    {
        double[] a = [0.91, 0.93, 0.92], b = [0.90, 0.90, 0.91];
        var paired = Statistics.Paired(a, b);
        var direct = Statistics.Summarize([0.01, 0.03, 0.01]);
        Assert.Equal(direct.Mean, paired.Mean, 12);
        Assert.Equal(direct.Sd, paired.Sd, 12);
        Assert.Equal(direct.CiLow, paired.CiLow, 12);
        Assert.Equal(direct.CiHigh, paired.CiHigh, 12);
    }

    [Fact]
    public void GivenListsOfDifferentLengths_WhenPaired_ThenItThrows() =>
        Assert.Throws<ArgumentException>(() => Statistics.Paired([1.0, 2.0], [1.0]));
}
