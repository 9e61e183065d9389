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
        double median = Median(values);
        if (n == 1) return new Estimate(mean, 0, mean, mean, 1, median);
        double ss = values.Sum(v => (v - mean) * (v - mean));
        double sd = Math.Sqrt(ss / (n - 1));
        double half = StudentTQuantile(0.5 + Confidence / 2, n - 1) * sd / Math.Sqrt(n);
        return new Estimate(mean, sd, mean - half, mean + half, n, median);
    }

    /// <summary>The middle value (the mean of the two middle ones for an even count): beside the mean when outcomes are bimodal.</summary>
    public static double Median(IReadOnlyList<double> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        if (values.Count == 0) throw new ArgumentException("no median of an empty list of values", nameof(values));
        var sorted = values.Order().ToArray();
        int mid = sorted.Length / 2;
        return sorted.Length % 2 == 1 ? sorted[mid] : 0.5 * (sorted[mid - 1] + sorted[mid]);
    }

    /// <summary>
    /// The geometric-mean ratio of paired positive values, a[i] / b[i] (the same seed), with a 95 % interval: a Student-t
    /// interval on the mean of ln(a[i] / b[i]), exponentiated (a ratio's natural scale is logarithmic, and the interval is
    /// then never below 0). With one pair no interval exists: the bounds are null.
    /// </summary>
    public static RatioEstimate GeometricRatio(IReadOnlyList<double> a, IReadOnlyList<double> b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        if (a.Count != b.Count || a.Count == 0)
            throw new ArgumentException($"a ratio of paired values needs equal, non-empty samples, got {a.Count} and {b.Count}", nameof(b));
        for (int i = 0; i < a.Count; i++)
            if (!(a[i] > 0 && b[i] > 0 && double.IsFinite(a[i]) && double.IsFinite(b[i])))
                throw new ArgumentException($"a log ratio needs positive, finite values; pair {i} is {a[i]} / {b[i]}", nameof(a));
        var log = Summarize([.. a.Zip(b, (x, y) => Math.Log(x / y))]);
        return log.N < 2
            ? new RatioEstimate(Math.Exp(log.Mean), null, null, log.N)
            : new RatioEstimate(Math.Exp(log.Mean), Math.Exp(log.CiLow), Math.Exp(log.CiHigh), log.N);
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
    /// The ratio of the means of paired samples, mean(a) / mean(b), with Fieller's 95 % interval
    /// (Fieller 1954, "Some problems in interval estimation", JRSS B 16(2), eq. for a ratio of
    /// correlated means): all ρ with (ā − ρ b̄)² ≤ t² (v₁₁ − 2ρ v₁₂ + ρ² v₂₂), where v are the
    /// (co)variances of the means and t = t₀.₉₇₅,ₙ₋₁. When b̄ is not clearly away from 0
    /// (b̄² ≤ t² v₂₂) the set is unbounded and no interval is given (CiLow, CiHigh null).
    /// </summary>
    public static RatioEstimate RatioOfMeans(IReadOnlyList<double> a, IReadOnlyList<double> b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        if (a.Count != b.Count || a.Count == 0)
            throw new ArgumentException($"a ratio of paired means needs equal, non-empty samples, got {a.Count} and {b.Count}", nameof(b));
        int n = a.Count;
        double ma = a.Average(), mb = b.Average(), ratio = ma / mb;
        if (n < 2) return new RatioEstimate(ratio, null, null, n);
        double v11 = a.Sum(x => (x - ma) * (x - ma)) / (n - 1) / n;
        double v22 = b.Sum(y => (y - mb) * (y - mb)) / (n - 1) / n;
        double v12 = a.Zip(b, (x, y) => (x - ma) * (y - mb)).Sum() / (n - 1) / n;
        double t2 = Math.Pow(StudentTQuantile(0.5 + Confidence / 2, n - 1), 2);
        double qa = mb * mb - t2 * v22, qb = -2 * (ma * mb - t2 * v12), qc = ma * ma - t2 * v11;
        double discriminant = qb * qb - 4 * qa * qc;
        if (!(qa > 0) || discriminant < 0) return new RatioEstimate(ratio, null, null, n);
        double root = Math.Sqrt(discriminant);
        return new RatioEstimate(ratio, (-qb - root) / (2 * qa), (-qb + root) / (2 * qa), n);
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
