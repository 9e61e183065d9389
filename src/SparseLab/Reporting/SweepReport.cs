// The curriculum sweep's report (sweep.md): the verdict in words first — which
// arms beat their random-pacing control beyond the noise, where, and whether
// low-Fisher-first beats high-Fisher-first — then the table of every cell,
// then the studies it was made from.
using SparseLab.Foundations;
using SparseLab.Studies;
using SparseLab.Studies.Methods;
using static SparseLab.Reporting.ReportFormat;

namespace SparseLab.Reporting;

public static class SweepReport
{
    public const string MarkdownFile = "sweep.md";

    public static string Write(SweepResult sweep, string dir)
    {
        var w = new MarkdownReportWriter();
        w.Heading(1, "Curriculum sweep: where does a data curriculum close the sparse scratch gap?");
        foreach (var line in Verdict(sweep.Cells)) w.Paragraph(line);
        w.Heading(2, "Every cell");
        w.Paragraph("Gains and gaps in test-accuracy points, paired by seed, with 95 % Student-t intervals; gap closed = gain over scratch / " +
                    "(finetune − scratch) with its Fieller interval (unbounded when the gap is not clearly above 0). An interval that excludes 0 is marked *.");
        w.Table(["init", "reference", "sparsity", "finetune − scratch", "arm", "gain over scratch", "gain over random-pacing", "gain over anti-curriculum", "gap closed", "n"],
            sweep.Cells.Select(c => (IReadOnlyList<string>)[c.Init, c.Reference, SparsityText(c.Sparsity), Mark(c.Gap), c.Arm,
                Mark(c.GainOverScratch), c.GainOverRandomPacing is { } r ? Mark(r) : "", c.GainOverAnti is { } a ? Mark(a) : "",
                CurriculumNarrative.Ratio(c.GapClosed), c.GainOverScratch.N.ToString(System.Globalization.CultureInfo.InvariantCulture)]));
        w.Heading(2, "Studies");
        w.Bullets(sweep.Studies.Select(s => $"{Path.GetRelativePath(dir, s)}/report.md"));
        string file = Path.Combine(dir, MarkdownFile);
        AtomicFile.WriteAllText(file, w.Render());
        AtomicFile.WriteAllText(Path.Combine(dir, "sweep.json"), Json.Serialize(sweep));
        return file;
    }

    /// <summary>The sweep's answer in words.</summary>
    public static IReadOnlyList<string> Verdict(IReadOnlyList<SweepCell> cells)
    {
        string Where(SweepCell c) => $"{c.Arm} ({c.Init} init, {c.Reference} reference, sparsity {SparsityText(c.Sparsity)}: {GapEstimate(c.GainOverRandomPacing!)} points)";
        var text = new List<string>();
        var gaps = cells.GroupBy(c => (c.Init, c.Sparsity)).Select(g => g.First()).ToList();
        var real = gaps.Where(c => c.Gap.N >= 2 && c.Gap.CiLow > 0).ToList();
        text.Add(real.Count == 0
            ? "No cell has a finetune − scratch gap beyond the seed-to-seed noise: there is nothing for a curriculum to close here."
            : $"The finetune − scratch gap is beyond the noise at {string.Join(", ", real.Select(c => $"{SparsityText(c.Sparsity)} with {c.Init} init ({GapEstimate(c.Gap)} points)"))}.");
        var beats = cells.Where(c => c.GainOverRandomPacing is { N: >= 2, CiLow: > 0 }).ToList();
        var loses = cells.Where(c => c.GainOverRandomPacing is { N: >= 2, CiHigh: < 0 }).ToList();
        text.Add(beats.Count == 0
            ? "No arm beats its random-pacing control (the same pacing with a random order) beyond the noise in any cell: the order of the examples made no difference beyond the noise."
            : $"Beyond the noise, these beat random-pacing: {string.Join("; ", beats.Select(Where))}.");
        if (loses.Count > 0) text.Add($"These are worse than random-pacing beyond the noise: {string.Join("; ", loses.Select(Where))}.");
        var order = cells.Where(c => c.Arm == FisherCurriculum.Id && c.GainOverAnti is { N: >= 2 }).ToList();
        int low = order.Count(c => c.GainOverAnti!.CiLow > 0), high = order.Count(c => c.GainOverAnti!.CiHigh < 0);
        text.Add(order.Count == 0 ? "Low-Fisher-first was not compared with high-Fisher-first."
            : $"Low-Fisher-first (curriculum) against high-Fisher-first (anti-curriculum): better beyond the noise in {low} of {order.Count} cells, worse in {high}, indistinguishable in {order.Count - low - high}.");
        return text;
    }

    private static string Mark(Estimate e) => GapEstimate(e) + (e.N >= 2 && (e.CiLow > 0 || e.CiHigh < 0) ? " *" : "");
}
