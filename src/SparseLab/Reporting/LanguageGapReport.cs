// The gap study's report for a language model: the verdict from the
// validation loss (nats per byte; bits per character = loss / ln 2,
// perplexity = e^loss) instead of accuracy — does sparse finetuning reach a
// lower validation loss than sparse scratch with the same mask, beyond the
// seed-to-seed noise (the paired 95 % interval of scratch − finetune excludes
// 0)? — the loss and perplexity tables, the regimes from the train-loss gap,
// and text sampled from dense, finetuned and scratch models side by side.
using System.Globalization;
using SparseLab.Studies;
using SparseLab.Studies.Methods;
using static SparseLab.Reporting.ReportFormat;

namespace SparseLab.Reporting;

public static class LanguageGapReport
{
    public const string Claim =
        "The claim under test (the seed's, carried to language): with the same mask, a sparse language model trained from scratch " +
        "reaches a higher validation loss (worse perplexity) than pruning the trained dense model and finetuning it.";

    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    /// <summary>The verdict: the claim, one sentence per sparsity, and a tally.</summary>
    public static IReadOnlyList<string> Describe(GapStudyResult result)
    {
        var text = new List<string> { Claim };
        var regimes = result.Regimes.OrderBy(r => r.Sparsity).ToList();
        if (regimes.Count == 0)
        {
            text.Add("No paired finetune/scratch comparison was recorded, so nothing can be said about the claim.");
            return text;
        }
        if (regimes.Any(r => r.TestGap.N < 2))
            text.Add("Some settings have a single seed: no confidence interval exists with one seed, so a difference there cannot be told apart from noise. Run 3 or more seeds.");
        var shows = new List<string>();
        var doesNot = new List<string>();
        foreach (var r in regimes)
        {
            (r.TestGap.N >= 2 && r.TestGap.CiLow > 0 ? shows : doesNot).Add(SparsityText(r.Sparsity));
            text.Add(Sentence(r));
        }
        text.Add(shows.Count == 0
            ? $"In short: the same-mask gap does not show for this language model beyond the noise at any sparsity measured ({string.Join(", ", doesNot)})."
            : doesNot.Count == 0
                ? $"In short: the same-mask gap exists for this language model at every sparsity measured ({string.Join(", ", shows)}): finetuning beats scratch beyond the noise."
                : $"In short: the same-mask gap shows beyond the noise at sparsity {string.Join(", ", shows)}; it does not show at {string.Join(", ", doesNot)}.");
        return text;
    }

    /// <summary>The sections that replace the accuracy ones: per-sparsity loss tables, regimes, samples.</summary>
    public static void Compose(IReportWriter w, GapStudyResult r)
    {
        w.Heading(2, "Validation loss per sparsity");
        w.Paragraph("Validation loss in nats per byte (mean ± sd [95 % CI] over seeds), bits per character and perplexity of the mean loss, " +
                    "train loss on fixed windows of the training split, and top-1 next-byte accuracy on the validation split.");
        var dense = r.Cells.Where(c => c.Method == DenseRun.Name).ToList();
        foreach (var group in r.Cells.Where(c => c.Method != DenseRun.Name).GroupBy(c => c.Sparsity).OrderBy(g => g.Key))
        {
            w.Heading(3, $"Sparsity {SparsityText(group.Key)} ({SparsityPercent(group.Key)} of the attention and MLP weights removed)");
            var byMethod = group.ToDictionary(c => c.Method);
            var rows = dense.Select(d => Row("dense (unpruned reference)", d))
                .Concat(FigureStyle.OrderMethods(byMethod.Keys).Select(m => Row(m, byMethod[m])));
            w.Table(["Method", "Validation loss (nats) [95 % CI]", "Bits per char", "Perplexity", "Train loss (nats)", "Next-byte accuracy (%)", "n (seeds)"], rows);
        }

        if (MethodRanking.HasSchedules(r))
        {
            w.Heading(2, "Methods ranked, with their training cost");
            w.Paragraph("Every method at the same final sparsity, ranked by mean validation loss (lowest first). Training cost: FLOPs of all " +
                        "training needed to reach the solution, in units of one dense training run (finetune counts the dense run it starts from, " +
                        "imp every level up to the one reaching the sparsity).");
            foreach (double s in r.Cells.Where(c => c.Method != DenseRun.Name).Select(c => c.Sparsity).Distinct().Order())
            {
                w.Heading(3, $"Sparsity {SparsityText(s)}");
                w.Table(MethodRanking.Header(r), MethodRanking.Rows(r, s));
                w.Paragraph($"Ranking by mean validation loss: {MethodRanking.Line(r, s)}.");
            }
        }

        w.Heading(2, "Regimes and gaps (scratch − finetune, paired by seed)");
        w.Paragraph("Gaps in nats per byte: positive means finetuning reached the lower loss. Generalization regime: the whole 95 % interval of the " +
                    "train-loss gap is below the threshold (both fit the training text alike); optimization regime: at or above it (scratch also " +
                    "fits the training text worse); undetermined: the interval straddles it.");
        w.Table(["Sparsity", "Regime", "Train-loss gap [95 % CI]", "Validation-loss gap [95 % CI]", "n (paired seeds)", "Threshold (nats)"],
            r.Regimes.OrderBy(g => g.Sparsity).Select(g => (IReadOnlyList<string>)
                [SparsityText(g.Sparsity), g.Regime, Gap(g.TrainGap), Gap(g.TestGap), g.TestGap.N.ToString(Inv), g.Threshold.ToString("0.####", Inv)]));

        if (r.GapClosed is { Count: > 0 } closed)
        {
            w.Heading(2, CurriculumNarrative.ArmsHeading(r));
            w.Paragraph("Gain: scratch's loss − the arm's, in nats [95 % CI], paired by seed (positive: the curriculum helped). Gap closed = " +
                        "gain / (scratch's loss − finetune's) on validation loss, with a 95 % Fieller interval (unbounded when that gap is not clearly " +
                        "above 0). Cost relative to sparse finetuning, with and without the dense run both need.");
            w.Table(["Sparsity", "Arm", "Validation gain (nats) [95 % CI]", "Train gain (nats) [95 % CI]", "Gap closed [95 % CI]", "Cost with dense (× finetuning)", "Marginal cost (× finetuning)", "n"],
                closed.OrderBy(g => g.Sparsity).Select(g => (IReadOnlyList<string>)[SparsityText(g.Sparsity), g.Arm, Gap(g.TestGain), Gap(g.TrainGain),
                    CurriculumNarrative.Ratio(g.TestGapClosed), g.CostRelativeToFinetune.ToString("0.00", Inv), g.MarginalCostRelativeToFinetune.ToString("0.00", Inv),
                    g.TestGain.N.ToString(Inv)]));
        }

        if (r.Samples is { Count: > 0 } samples)
        {
            w.Heading(2, "Samples");
            var first = samples[0];
            w.Paragraph($"What each model of seed {first.Seed} writes after a newline (160 bytes, temperature 0.8, sampling seed 1): the dense model, " +
                        "then per sparsity sparse finetuning and sparse scratch with the same mask.");
            w.Table(["Sparsity", "Method", "Text"],
                samples.OrderBy(x => x.Sparsity).ThenBy(x => x.Method == DenseRun.Name ? 0 : x.Method == Finetune.Id ? 1 : 2)
                    .Select(x => (IReadOnlyList<string>)[SparsityText(x.Sparsity), x.Method, OneLine(x.Text)]));
        }
    }

    private static string Sentence(StudyRegime r)
    {
        var g = r.TestGap;
        string where = $"At sparsity {SparsityText(r.Sparsity)} ({r.Regime} regime: train-loss gap scratch − finetune {Gap(r.TrainGap)} nats against a threshold of {r.Threshold.ToString("0.####", Inv)})";
        string verdict = g.N < 2
            ? $"scratch − finetune validation loss is {Nats(g.Mean)} nats with a single seed; no interval exists, so the claim is not established here."
            : g.CiLow > 0
                ? $"finetuning reached a lower validation loss than scratch by {Nats(g.Mean)} nats per byte (95 % CI {Interval(g)}, {g.N} seeds paired): beyond the noise, the gap exists here."
                : g.CiHigh < 0
                    ? $"scratch reached a lower validation loss than finetuning by {Nats(-g.Mean)} nats (scratch − finetune 95 % CI {Interval(g)}, {g.N} seeds paired): the claim does not show; the opposite holds beyond the noise."
                    : $"the validation-loss difference scratch − finetune is {Nats(g.Mean)} nats with a 95 % CI {Interval(g)} that includes 0 ({g.N} seeds paired): not distinguishable from noise, so the claim does not show here.";
        return $"{where}, {verdict}";
    }

    private static IReadOnlyList<string> Row(string label, StudyCell c) =>
    [
        label, LossEstimate(c.TestLoss), (c.TestLoss.Mean / Math.Log(2)).ToString("0.000", Inv), Math.Exp(c.TestLoss.Mean).ToString("0.00", Inv),
        c.TrainLoss.Mean.ToString("0.0000", Inv), Percent(c.TestAccuracy.Mean), c.TestLoss.N.ToString(Inv),
    ];

    private static string Gap(Estimate e) => e.N < 2 ? $"{Nats(e.Mean)} (1 seed, no interval)" : $"{Nats(e.Mean)} {Interval(e)}";
    private static string Interval(Estimate e) => $"[{Nats(e.CiLow)}, {Nats(e.CiHigh)}]";
    private static string Nats(double x) => x.ToString("+0.0000;-0.0000;0.0000", Inv);

    /// <summary>Sampled text on one table line: newlines shown as ⏎, table pipes escaped.</summary>
    private static string OneLine(string text) => text.Replace("\r", "").Replace("\n", " ⏎ ").Replace("|", "\\|");
}
