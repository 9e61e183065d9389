// Exact tests on counts, for outcomes that are yes/no per run (a run stalled
// at chance or not): Fisher's exact test on a 2×2 table of two independent
// groups, and the exact McNemar test on paired yes/no outcomes (the same
// seeds under two methods). Exact, since a study has a handful of seeds and
// the χ² approximations need expected counts of 5 or more.
namespace SparseLab.Reporting;

public static class Contingency
{
    // scipy.stats.fisher_exact counts a table as "as extreme" when its probability is within this relative margin of
    // the observed one, so that tables of equal probability are not split by floating-point rounding.
    private const double Tolerance = 1 + 1e-7;

    /// <summary>
    /// Fisher's exact test, two-sided, on the table [[a, b], [c, d]] (rows: the two groups, columns: yes and no).
    /// With the margins fixed, a follows the hypergeometric law P(a) = C(a+c, a) C(b+d, b) / C(n, a+b); the p-value is the
    /// sum of P(x) over every x with P(x) ≤ P(a) (Fisher 1935; Agresti, Categorical Data Analysis, 3rd ed., §3.5.1) —
    /// the same convention as scipy.stats.fisher_exact.
    /// </summary>
    public static double FisherExact(int a, int b, int c, int d)
    {
        if (a < 0 || b < 0 || c < 0 || d < 0)
            throw new ArgumentOutOfRangeException(nameof(a), $"a 2×2 table holds counts ≥ 0, got [[{a}, {b}], [{c}, {d}]]");
        int row = a + b, column = a + c, n = a + b + c + d;
        if (n == 0) return 1;
        int lo = Math.Max(0, row - (n - column)), hi = Math.Min(row, column);
        double LogP(int x) => LogChoose(column, x) + LogChoose(n - column, row - x) - LogChoose(n, row);
        double observed = LogP(a);
        double p = 0;
        for (int x = lo; x <= hi; x++)
        {
            double lp = LogP(x);
            if (lp <= observed + Math.Log(Tolerance)) p += Math.Exp(lp);
        }
        return Math.Min(1, p);
    }

    /// <summary>
    /// The exact McNemar test, two-sided, on paired yes/no outcomes: only the discordant pairs count, b (yes under the
    /// first, no under the second) and c (the reverse). Under the null each discordant pair falls either way with
    /// probability ½, so p = min(1, 2 · P(Binomial(b + c, ½) ≤ min(b, c))) (McNemar 1947; Agresti §11.1.4); 1 when no pair
    /// is discordant.
    /// </summary>
    public static double McNemarExact(int b, int c)
    {
        if (b < 0 || c < 0) throw new ArgumentOutOfRangeException(nameof(b), $"discordant counts are ≥ 0, got b = {b}, c = {c}");
        int n = b + c;
        if (n == 0) return 1;
        double tail = 0;
        for (int i = 0; i <= Math.Min(b, c); i++) tail += Math.Exp(LogChoose(n, i) - n * Math.Log(2));
        return Math.Min(1, 2 * tail);
    }

    /// <summary>ln C(n, k), exact sums of logarithms (counts here are seeds: small).</summary>
    private static double LogChoose(int n, int k) => LogFactorial(n) - LogFactorial(k) - LogFactorial(n - k);

    private static double LogFactorial(int n)
    {
        double sum = 0;
        for (int i = 2; i <= n; i++) sum += Math.Log(i);
        return sum;
    }
}
