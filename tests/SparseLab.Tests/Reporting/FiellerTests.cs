// Fieller's interval for a ratio of paired means against an independent computation: a fine
// scan over ρ of the defining inequality (ā − ρ b̄)² ≤ t² (v₁₁ − 2ρ v₁₂ + ρ² v₂₂).
using SparseLab.Reporting;

namespace SparseLab.Tests.Reporting;

public sealed class FiellerTests
{
    private static bool Inside(double rho, double[] a, double[] b)
    {
        int n = a.Length;
        double ma = a.Average(), mb = b.Average();
        double v11 = a.Sum(x => (x - ma) * (x - ma)) / (n - 1) / n, v22 = b.Sum(y => (y - mb) * (y - mb)) / (n - 1) / n;
        double v12 = a.Select((x, i) => (x - ma) * (b[i] - mb)).Sum() / (n - 1) / n;
        double t = Statistics.StudentTQuantile(0.975, n - 1);
        return (ma - rho * mb) * (ma - rho * mb) <= t * t * (v11 - 2 * rho * v12 + rho * rho * v22);
    }

    [Fact]
    public void Given_a_clear_denominator_Then_the_interval_matches_a_scan_of_the_inequality()
    {
        double[] a = [0.010, 0.022, 0.015, 0.004];   // arm − scratch per seed
        double[] b = [0.030, 0.036, 0.028, 0.033];   // finetune − scratch per seed
        var e = Statistics.RatioOfMeans(a, b);
        Assert.Equal(a.Average() / b.Average(), e.Ratio, 12);
        Assert.NotNull(e.CiLow);
        var inside = Enumerable.Range(-20000, 60001).Select(i => i * 1e-4).Where(r => Inside(r, a, b)).ToList();
        Assert.Equal(inside.Min(), e.CiLow!.Value, 3);
        Assert.Equal(inside.Max(), e.CiHigh!.Value, 3);
        Assert.InRange(e.Ratio, e.CiLow.Value, e.CiHigh.Value);
    }

    [Fact]
    public void Given_a_denominator_not_clearly_above_zero_Then_no_interval_is_claimed()
    {
        var e = Statistics.RatioOfMeans([0.01, 0.02, -0.01], [0.02, -0.03, 0.015]);
        Assert.Null(e.CiLow);
        Assert.Null(e.CiHigh);
        Assert.True(Inside(1e6, [0.01, 0.02, -0.01], [0.02, -0.03, 0.015]));   // the defining set really is unbounded
    }

    [Fact]
    public void Given_one_seed_Then_the_ratio_without_an_interval() =>
        Assert.Equal(new RatioEstimateView(0.5, null, null, 1), View(Statistics.RatioOfMeans([1.0], [2.0])));

    private sealed record RatioEstimateView(double Ratio, double? Low, double? High, int N);
    private static RatioEstimateView View(SparseLab.Studies.RatioEstimate e) => new(e.Ratio, e.CiLow, e.CiHigh, e.N);
}
