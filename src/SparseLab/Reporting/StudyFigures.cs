// The gap study's figures as PNG files: accuracy against sparsity, and the
// loss along the linear paths at each sparsity that has paths.
using SparseLab.Studies;
using SparseLab.Studies.Methods;

namespace SparseLab.Reporting;

public static class StudyFigures
{
    public const string AccuracyFile = "accuracy_vs_sparsity.png";

    public static string PathFile(double sparsity) => $"path_s{ReportFormat.SparsityText(sparsity)}.png";
    public static string FisherFile(double sparsity) => $"fisher_s{ReportFormat.SparsityText(sparsity)}.png";

    /// <summary>Writes the figures into dir (created if needed); returns the full paths written, accuracy figure first.</summary>
    public static IReadOnlyList<string> Write(GapStudyResult result, string dir)
    {
        ArgumentNullException.ThrowIfNull(result);
        Directory.CreateDirectory(dir);
        var written = new List<string>();
        if (result.Cells.Any(c => c.Method != DenseRun.Name) && !result.RanksByLoss)   // a language model's verdict is its loss, in the report's tables
        {
            string accuracy = Path.Combine(dir, AccuracyFile);
            AccuracyFigure.Save(result, accuracy);
            written.Add(accuracy);
        }
        foreach (var group in result.Paths.GroupBy(p => p.Sparsity).OrderBy(g => g.Key))
        {
            string file = Path.Combine(dir, PathFile(group.Key));
            PathFigure.Save(group.ToList(), group.Key, file);
            written.Add(file);
        }
        var fisher = result.Fisher ?? [];
        foreach (double sparsity in fisher.Where(f => f.Method != DenseRun.Name).Select(f => f.Sparsity).Distinct().Order())
        {
            string file = Path.Combine(dir, FisherFile(sparsity));
            var regime = result.Regimes.FirstOrDefault(r => r.Sparsity == sparsity)?.Regime;
            FisherFigure.Save([.. fisher.Where(f => f.Sparsity == sparsity || f.Method == DenseRun.Name)], sparsity, regime, file);
            written.Add(file);
        }
        return written;
    }
}
