// Every method of a gap study ranked by mean test accuracy at each sparsity,
// with its training cost in dense-equivalent FLOPs (units of one dense run,
// Schedules/TrainingCost) beside it: the answer to the seed's question for all
// methods at once. Ties within one standard error are not called out here;
// the intervals are in the accuracy tables.
using System.Globalization;
using SparseLab.Studies;
using SparseLab.Studies.Methods;
using static SparseLab.Reporting.ReportFormat;

namespace SparseLab.Reporting;

public static class MethodRanking
{
    /// <summary>Whether the study compared more than finetune and scratch (and the controls).</summary>
    public static bool HasSchedules(GapStudyResult r) => r.Cells.Any(c => StudyMethods.Find(c.Method)?.Kind == MethodKind.Schedule);

    /// <summary>Sparse cells of one sparsity, best mean test accuracy first.</summary>
    public static IReadOnlyList<StudyCell> Ranked(GapStudyResult r, double sparsity) =>
        [.. r.Cells.Where(c => c.Method != DenseRun.Name && c.Sparsity == sparsity).OrderByDescending(c => c.TestAccuracy.Mean).ThenBy(c => StudyMethods.Rank(c.Method))];

    public static IEnumerable<IReadOnlyList<string>> Rows(GapStudyResult r, double sparsity) =>
        Ranked(r, sparsity).Select((c, i) => (IReadOnlyList<string>)
            [(i + 1).ToString(CultureInfo.InvariantCulture), c.Method, AccuracyEstimate(c.TestAccuracy), AccuracyEstimate(c.TrainAccuracy), Cost(c.TrainCost)]);

    /// <summary>"rigl (84.10) > finetune (83.90) > ..." for one sparsity.</summary>
    public static string Line(GapStudyResult r, double sparsity) =>
        string.Join(" > ", Ranked(r, sparsity).Select(c => $"{c.Method} ({Percent(c.TestAccuracy.Mean)})"));

    public static string Cost(Estimate? e) => e is null ? "n/a" : e.Mean.ToString("0.00", CultureInfo.InvariantCulture) + "×";
}
