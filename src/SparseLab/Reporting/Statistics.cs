// Summaries over seeds: mean, sample standard deviation and a 95 % Student-t
// confidence interval, for one metric or for per-seed paired differences.
using SparseLab.Studies;

namespace SparseLab.Reporting;

public static class Statistics
{
    public const double Confidence = 0.95;

    /// <summary>
    /// Mean, sample sd (n − 1 denominator; 0 when n = 1) and the 95 % interval
    /// mean ± t₀.₉₇₅,ₙ₋₁ · sd/√n. With one value no interval exists: the bounds
    /// are both the mean and callers must say so (N = 1 tells them).
    /// </summary>
    public static Estimate Summarize(IReadOnlyList<double> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        int n = values.Count;
        if (n == 0) throw new ArgumentException("cannot summarize an empty list of values", nameof(values));
        double mean = values.Average();
        if (n == 1) return new Estimate(mean, 0, mean, mean, 1);
        double ss = values.Sum(v => (v - mean) * (v - mean));
        double sd = Math.Sqrt(ss / (n - 1));
        double half = StudentTQuantile(0.5 + Confidence / 2, n - 1) * sd / Math.Sqrt(n);
        return new Estimate(mean, sd, mean - half, mean + half, n);
    }

    /// <summary>Summary of the differences a[i] − b[i]; a and b are paired by index (the same seed).</summary>
    public static Estimate Paired(IReadOnlyList<double> a, IReadOnlyList<double> b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        if (a.Count != b.Count)
            throw new ArgumentException($"paired values need one b per a (the same seeds), got {a.Count} and {b.Count}", nameof(b));
        return Summarize(a.Zip(b, (x, y) => x - y).ToArray());
    }

    /// <summary>
    /// P(T ≤ t) for Student's t with df degrees of freedom:
    /// P(T &gt; |t|) = ½ I_{df/(df + t²)}(df/2, ½) (Numerical Recipes §6.4, eq. 6.4.9).
    /// </summary>
    public static double StudentTCdf(double t, double df)
    {
        if (!(df > 0)) throw new ArgumentOutOfRangeException(nameof(df), df, "Student t needs df > 0");
        if (double.IsNaN(t)) return double.NaN;
        if (double.IsInfinity(t)) return t > 0 ? 1 : 0;
        double tail = 0.5 * SpecialFunctions.RegularizedIncompleteBeta(df / 2, 0.5, df / (df + t * t));
        return t >= 0 ? 1 - tail : tail;
    }

    /// <summary>The t with P(T ≤ t) = p, found by bisection on <see cref="StudentTCdf"/>.</summary>
    public static double StudentTQuantile(double p, double df)
    {
        if (!(p > 0 && p < 1)) throw new ArgumentOutOfRangeException(nameof(p), p, "a quantile needs 0 < p < 1");
        if (p == 0.5) return 0;
        if (p < 0.5) return -StudentTQuantile(1 - p, df);
        double lo = 0, hi = 1;
        while (StudentTCdf(hi, df) < p) { lo = hi; hi *= 2; }
        for (int i = 0; i < 200 && hi - lo > 1e-13 * hi; i++)
        {
            double mid = 0.5 * (lo + hi);
            if (StudentTCdf(mid, df) < p) lo = mid; else hi = mid;
        }
        return 0.5 * (lo + hi);
    }
}
