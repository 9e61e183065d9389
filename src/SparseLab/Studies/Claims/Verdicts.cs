// The four verdicts of the ledger and the interval rules most claims use.
// Every interval is the 95 % Student-t interval over seeds (Reporting/Statistics).
using System.Globalization;
using SparseLab.Reporting;

namespace SparseLab.Studies.Claims;

public static class Verdicts
{
    public const string Holds = "holds";
    public const string DoesNotHold = "does not hold here";
    public const string Reverses = "reverses";
    public const string Undetermined = "undetermined";

    /// <summary>
    /// A directional claim "x > 0" from its interval: holds when the whole interval is above 0, reverses when it is
    /// below, does not hold here when it lies within ±<paramref name="margin"/> (a difference too small to matter, with
    /// enough seeds to say so), undetermined otherwise (too wide to tell) and with fewer than 2 seeds.
    /// </summary>
    public static string Directional(Estimate e, double margin)
    {
        if (e.N < 2) return Undetermined;
        if (e.CiLow > 0) return Holds;
        if (e.CiHigh < 0) return Reverses;
        return e.CiLow >= -margin && e.CiHigh <= margin ? DoesNotHold : Undetermined;
    }

    /// <summary>The verdict of a claim measured at several settings: any setting where it holds (and none where it reverses) and so on.</summary>
    public static string Combine(IReadOnlyCollection<string> verdicts)
    {
        if (verdicts.Count == 0) return Undetermined;
        bool holds = verdicts.Contains(Holds), reverses = verdicts.Contains(Reverses);
        if (holds && !reverses) return Holds;
        if (reverses && !holds) return Reverses;
        if (holds && reverses) return Undetermined;   // opposite signs at different settings: the claim depends on the setting
        return verdicts.All(v => v == DoesNotHold) ? DoesNotHold : Undetermined;
    }

    /// <summary>"+1.34 [+0.75, +1.94]": a difference of fractions in points.</summary>
    public static string Points(Estimate e) => e.N < 2
        ? $"{Signed(100 * e.Mean)} (1 seed, no interval)"
        : $"{Signed(100 * e.Mean)} [{Signed(100 * e.CiLow)}, {Signed(100 * e.CiHigh)}]";

    public static string Signed(double x) => Math.Round(x, 2).ToString("+0.00;-0.00;+0.00", CultureInfo.InvariantCulture);

    public static string Sparsity(double s) => s.ToString("0.###", CultureInfo.InvariantCulture);
}
