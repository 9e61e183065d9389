// Every method of a gap study ranked by mean test accuracy (a language model:
// mean validation loss) at each sparsity,
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

    /// <summary>Sparse cells of one sparsity, best first: highest mean test accuracy, or for a language model lowest mean validation loss.</summary>
    public static IReadOnlyList<StudyCell> Ranked(GapStudyResult r, double sparsity)
    {
        var cells = r.Cells.Where(c => c.Method != DenseRun.Name && c.Sparsity == sparsity);
        var ordered = r.RanksByLoss ? cells.OrderBy(c => c.TestLoss.Mean) : cells.OrderByDescending(c => c.TestAccuracy.Mean);
        return [.. ordered.ThenBy(c => StudyMethods.Rank(c.Method))];
    }

    /// <summary>The ranking table's columns after rank and method.</summary>
    public static IReadOnlyList<string> Header(GapStudyResult r) => r.RanksByLoss
        ? ["Rank", "Method", "Validation loss (nats): mean ± sd [95 % CI]", "Train loss (nats): mean ± sd [95 % CI]", "Training cost (dense runs)"]
        : ["Rank", "Method", "Test accuracy (%): mean ± sd [95 % CI]", "Train accuracy (%): mean ± sd [95 % CI]", "Training cost (dense runs)"];

    public static IEnumerable<IReadOnlyList<string>> Rows(GapStudyResult r, double sparsity) =>
        Ranked(r, sparsity).Select((c, i) => (IReadOnlyList<string>)
            [(i + 1).ToString(CultureInfo.InvariantCulture), c.Method,
             r.RanksByLoss ? LossEstimate(c.TestLoss) : AccuracyEstimate(c.TestAccuracy),
             r.RanksByLoss ? LossEstimate(c.TrainLoss) : AccuracyEstimate(c.TrainAccuracy), Cost(c.TrainCost)]);

    /// <summary>"rigl (84.10) > finetune (83.90) > ..." for one sparsity; a language model: "finetune (1.2345) < rigl (1.3001) < ..." in nats.</summary>
    public static string Line(GapStudyResult r, double sparsity) => r.RanksByLoss
        ? string.Join(" < ", Ranked(r, sparsity).Select(c => $"{c.Method} ({c.TestLoss.Mean.ToString("0.0000", CultureInfo.InvariantCulture)})"))
        : string.Join(" > ", Ranked(r, sparsity).Select(c => $"{c.Method} ({Percent(c.TestAccuracy.Mean)})"));

    public static string Cost(Estimate? e) => e is null ? "n/a" : e.Mean.ToString("0.00", CultureInfo.InvariantCulture) + "×";
}
