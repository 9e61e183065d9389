// Log-gamma and the regularized incomplete beta function I_x(a, b), enough to
// give the Student-t distribution its CDF without a statistics package.
namespace SparseLab.Reporting;

public static class SpecialFunctions
{
    // Lanczos coefficients (g = 5, n = 6) as in Numerical Recipes in C, 2nd ed., §6.1 (gammln); |error| < 2e-10.
    private static readonly double[] Lanczos =
        [76.18009172947146, -86.50532032941677, 24.01409824083091, -1.231739572450155, 0.1208650973866179e-2, -0.5395239384953e-5];

    /// <summary>ln Γ(x) for x &gt; 0.</summary>
    public static double LogGamma(double x)
    {
        if (!(x > 0)) throw new ArgumentOutOfRangeException(nameof(x), x, "LogGamma needs x > 0");
        double y = x, tmp = x + 5.5;
        tmp -= (x + 0.5) * Math.Log(tmp);
        double series = 1.000000000190015;
        foreach (double c in Lanczos) series += c / ++y;
        return -tmp + Math.Log(2.5066282746310005 * series / x);
    }

    /// <summary>
    /// I_x(a, b) = B(x; a, b) / B(a, b). Numerical Recipes §6.4, eq. 6.4.5:
    /// I_x(a, b) = x^a (1 − x)^b / (a B(a, b)) · 1/(1 + d₁/(1 + d₂/(1 + …))) with
    /// d₂ₘ₊₁ = −(a + m)(a + b + m) x / ((a + 2m)(a + 2m + 1)) and
    /// d₂ₘ = m (b − m) x / ((a + 2m − 1)(a + 2m)).
    /// The fraction converges fast for x &lt; (a + 1)/(a + b + 2); above that we use
    /// I_x(a, b) = 1 − I₁₋ₓ(b, a) (eq. 6.4.3).
    /// </summary>
    public static double RegularizedIncompleteBeta(double a, double b, double x)
    {
        if (!(a > 0) || !(b > 0)) throw new ArgumentOutOfRangeException(nameof(a), $"I_x(a, b) needs a > 0 and b > 0, got a = {a}, b = {b}");
        if (!(x >= 0 && x <= 1)) throw new ArgumentOutOfRangeException(nameof(x), x, "I_x(a, b) needs 0 ≤ x ≤ 1");
        if (x == 0 || x == 1) return x;
        double front = Math.Exp(LogGamma(a + b) - LogGamma(a) - LogGamma(b) + a * Math.Log(x) + b * Math.Log(1 - x));
        return x < (a + 1) / (a + b + 2)
            ? front * BetaContinuedFraction(a, b, x) / a
            : 1 - front * BetaContinuedFraction(b, a, 1 - x) / b;
    }

    // The continued fraction of eq. 6.4.5 by the modified Lentz method (NR §5.2, betacf).
    private static double BetaContinuedFraction(double a, double b, double x)
    {
        const int MaxIterations = 10_000;
        const double Eps = 1e-15, Tiny = 1e-300;
        double qab = a + b, qap = a + 1, qam = a - 1;
        double c = 1, d = 1 - qab * x / qap;
        if (Math.Abs(d) < Tiny) d = Tiny;
        d = 1 / d;
        double h = d;
        for (int m = 1; m <= MaxIterations; m++)
        {
            int m2 = 2 * m;
            double aa = m * (b - m) * x / ((qam + m2) * (a + m2));          // d₂ₘ
            d = 1 + aa * d; if (Math.Abs(d) < Tiny) d = Tiny;
            c = 1 + aa / c; if (Math.Abs(c) < Tiny) c = Tiny;
            d = 1 / d; h *= d * c;
            aa = -(a + m) * (qab + m) * x / ((a + m2) * (qap + m2));        // d₂ₘ₊₁
            d = 1 + aa * d; if (Math.Abs(d) < Tiny) d = Tiny;
            c = 1 + aa / c; if (Math.Abs(c) < Tiny) c = Tiny;
            d = 1 / d;
            double delta = d * c;
            h *= delta;
            if (Math.Abs(delta - 1) < Eps) return h;
        }
        throw new InvalidOperationException($"incomplete beta continued fraction did not converge for a = {a}, b = {b}, x = {x}");
    }
}
