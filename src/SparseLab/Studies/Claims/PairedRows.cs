// Per-seed differences between two methods of a study, at one sparsity: the
// paired statistic most claims rest on.
using SparseLab.Reporting;

namespace SparseLab.Studies.Claims;

public static class PairedRows
{
    /// <summary>value(a) − value(b) over the seeds both methods ran at sparsity s (s = 0: the dense run), or null when none did.</summary>
    public static Estimate? Difference(GapStudyResult r, double s, string a, string b, Func<StudyRow, double> value)
    {
        var (x, y) = Pairs(r, s, a, b, value);
        return x.Count == 0 ? null : Statistics.Paired(x, y);
    }

    /// <summary>The rows of a method at a sparsity; the dense rows (sparsity 0) for "dense".</summary>
    public static IEnumerable<StudyRow> Of(GapStudyResult r, double s, string method) =>
        r.Rows.Where(x => x.Method == method && (method == Methods.DenseRun.Name || x.Sparsity == s));

    private static (List<double>, List<double>) Pairs(GapStudyResult r, double s, string a, string b, Func<StudyRow, double> value)
    {
        var left = Of(r, s, a).ToDictionary(x => x.Seed);
        var right = Of(r, s, b).ToDictionary(x => x.Seed);
        var seeds = left.Keys.Intersect(right.Keys).Order().ToList();
        return ([.. seeds.Select(k => value(left[k]))], [.. seeds.Select(k => value(right[k]))]);
    }

    /// <summary>The sparsities the study compared (its sparse rows'), in order.</summary>
    public static IReadOnlyList<double> Sparsities(GapStudyResult r) => [.. r.Rows.Where(x => x.Sparsity > 0).Select(x => x.Sparsity).Distinct().Order()];
}
