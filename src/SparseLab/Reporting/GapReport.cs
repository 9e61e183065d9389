// The gap study's report: report.md and a self-contained report.html with the
// same content (what was run, per-sparsity accuracy tables, the regime table,
// a plain-language reading of the numbers, the figures), plus figures/*.png.
using System.Text.Json;
using SparseLab.Foundations;
using SparseLab.Studies;
using SparseLab.Studies.Methods;
using static SparseLab.Reporting.ReportFormat;

namespace SparseLab.Reporting;

public static class GapReport
{
    public const string MarkdownFile = "report.md", HtmlFile = "report.html", FiguresFolder = "figures";

    /// <summary>Writes report.md, report.html and figures/*.png into dir; returns every path written.</summary>
    public static IReadOnlyList<string> Write(GapStudyResult result, string dir)
    {
        ArgumentNullException.ThrowIfNull(result);
        Directory.CreateDirectory(dir);
        var figures = StudyFigures.Write(result, Path.Combine(dir, FiguresFolder));
        string title = Title(result);

        var markdown = new MarkdownReportWriter();
        Compose(markdown, result, title, figures);
        var html = new HtmlReportWriter(title);
        Compose(html, result, title, figures);

        string md = Path.Combine(dir, MarkdownFile), page = Path.Combine(dir, HtmlFile);
        AtomicFile.WriteAllText(md, markdown.Render());
        AtomicFile.WriteAllText(page, html.Render());
        return [md, page, .. figures];
    }

    private static void Compose(IReportWriter w, GapStudyResult r, string title, IReadOnlyList<string> figures)
    {
        w.Heading(1, title);
        w.Paragraph("Sparse training from scratch (scratch) against pruning a trained dense network and finetuning it " +
                    "(finetune), with the same mask. " + (r.IsDiffusion ? "Losses are denoising losses (the mean squared error of the predicted noise, Ho et al. 2020 Eq. 14) on fixed noise and timesteps per test image"
                        : r.IsLanguageModel
                        ? "Losses are next-byte cross-entropies in nats per byte on the corpus' validation split"
                        : "Accuracies are in %, gaps in percentage points") +
                    "; intervals are 95 % Student-t confidence intervals over seeds, gaps paired by seed.");

        // The verdict first, in words, and the figure a reader would rather look at; the details follow.
        w.Heading(2, "Verdict");
        if (r.IsDiffusion)
        {
            DiffusionGapReport.Compose(w, r);
            Common(w, r, figures, null);
            return;
        }
        if (r.IsLanguageModel)
        {
            foreach (var paragraph in LanguageGapReport.Describe(r)) w.Paragraph(paragraph);
            var fisher = FisherNarrative.Describe(r);
            if (fisher.Count > 0) w.Paragraph(fisher[^1]);
            w.Paragraph("Curvature is not measured for language models yet; Fisher traces are per sequence of the training text (true Fisher with every " +
                        "next byte sampled from the model), over the attention and MLP matrices.");
            LanguageGapReport.Compose(w, r);
            Common(w, r, figures, null);
            return;
        }
        foreach (var paragraph in GapNarrative.Describe(r)) w.Paragraph(paragraph);
        if (OutcomeReport.StallSummary(r) is { } stalls) w.Paragraph(stalls);
        if (r.GapClosed is { Count: > 0 }) w.Paragraph(CurriculumNarrative.Describe(r)[^1]);
        var fisherVerdict = FisherNarrative.Describe(r);
        if (fisherVerdict.Count > 0) w.Paragraph(fisherVerdict[^1]);
        var key = figures.FirstOrDefault(f => Path.GetFileName(f) == StudyFigures.AccuracyFile);
        if (key is not null) w.Image($"{FiguresFolder}/{Path.GetFileName(key)}", key, Caption(Path.GetFileName(key), r));

        w.Heading(2, "Accuracy per sparsity");
        var dense = r.Cells.Where(c => c.Method == DenseRun.Name).ToList();
        foreach (var group in r.Cells.Where(c => c.Method != DenseRun.Name).GroupBy(c => c.Sparsity).OrderBy(g => g.Key))
        {
            w.Heading(3, $"Sparsity {SparsityText(group.Key)} ({SparsityPercent(group.Key)} of prunable weights removed)");
            var byMethod = group.ToDictionary(c => c.Method);
            var rows = dense.Select(d => Row("dense (unpruned reference)", d))
                .Concat(FigureStyle.OrderMethods(byMethod.Keys).Select(m => Row(m, byMethod[m])));
            w.Table(["Method", "Test accuracy (%): mean ± sd [95 % CI]", "Test median (%)", "Train accuracy (%): mean ± sd [95 % CI]", "Train median (%)", "n (seeds)"], rows);
        }
        OutcomeReport.Stalls(w, r);

        if (MethodRanking.HasSchedules(r))
        {
            w.Heading(2, "Methods ranked, with their training cost");
            w.Paragraph("Every method at the same final sparsity, ranked by mean test accuracy. Training cost: FLOPs of all training " +
                        "needed to reach the solution, in units of one dense training run (3× the forward FLOPs of the Conv/Linear layers " +
                        "per example at the mask of each step; RigL's update steps add the dense weight gradient; finetune counts the " +
                        "dense run it starts from, imp every level from the dense level 0 up to the one reaching the sparsity).");
            foreach (double s in r.Cells.Where(c => c.Method != DenseRun.Name).Select(c => c.Sparsity).Distinct().Order())
            {
                w.Heading(3, $"Sparsity {SparsityText(s)}");
                w.Table(MethodRanking.Header(r), MethodRanking.Rows(r, s));
                w.Paragraph($"Ranking by mean test accuracy: {MethodRanking.Line(r, s)}.");
            }
        }

        w.Heading(2, "Regimes and gaps (finetune − scratch, paired by seed)");
        w.Paragraph("Generalization regime: the whole 95 % interval of the train-accuracy gap is below the threshold, both methods fit " +
                    "the training set alike. Optimization regime: the interval is at or above it, scratch also fails to fit the training set. " +
                    "Undetermined: the interval straddles the threshold.");
        w.Table(["Sparsity", "Regime", "Train gap (points) [95 % CI]", "Test gap (points) [95 % CI]", "n (paired seeds)", "Threshold (points)"],
            r.Regimes.OrderBy(g => g.Sparsity).Select(g => (IReadOnlyList<string>)
                [SparsityText(g.Sparsity), g.Regime, GapEstimate(g.TrainGap), GapEstimate(g.TestGap), g.TestGap.N.ToString(), Points(g.Threshold).TrimStart('+')]));
        if (r.Regimes.Any(g => g.TestGapBestVal is not null))
        {
            w.Paragraph("Model selection: the gaps above compare each run's last epoch. Below, each run is taken at its best epoch by " +
                        "validation accuracy (--val), the held-out choice; the seed's code instead kept each run's best epoch by *test* " +
                        "accuracy, which lets the test set pick the model.");
            w.Table(["Sparsity", "Test gap, last epoch (points)", "Test gap, best-by-validation epoch (points)"],
                r.Regimes.Where(g => g.TestGapBestVal is not null).OrderBy(g => g.Sparsity).Select(g => (IReadOnlyList<string>)
                    [SparsityText(g.Sparsity), GapEstimate(g.TestGap), GapEstimate(g.TestGapBestVal!)]));
        }

        OutcomeReport.Memorization(w, r);

        if (r.GapClosed is { Count: > 0 } closed)
        {
            w.Heading(2, CurriculumNarrative.ArmsHeading(r));
            w.Paragraph("Gap closed = (acc(arm) − acc(scratch)) / (acc(finetune) − acc(scratch)) on test accuracy, paired by seed, with a " +
                        "95 % Fieller interval (unbounded when the finetune − scratch gap is not clearly above 0). Gain: arm − scratch in " +
                        "points [95 % CI]. Cost: training multiply-accumulates (3 per weight per example seen, at the run's density) plus " +
                        "reference runs and scoring, relative to sparse finetuning; \"with dense\" counts the dense run whose mask both need, " +
                        "\"marginal\" each run's own training only.");
            w.Table(["Sparsity", "Arm", "Test gain (points) [95 % CI]", "Train gain (points) [95 % CI]", "Gap closed [95 % CI]", "Cost with dense (× finetuning)", "Marginal cost (× finetuning)", "n"],
                closed.OrderBy(g => g.Sparsity).Select(g => (IReadOnlyList<string>)[SparsityText(g.Sparsity), g.Arm, GapEstimate(g.TestGain),
                    GapEstimate(g.TrainGain), CurriculumNarrative.Ratio(g.TestGapClosed),
                    g.CostRelativeToFinetune.ToString("0.00", System.Globalization.CultureInfo.InvariantCulture),
                    g.MarginalCostRelativeToFinetune.ToString("0.00", System.Globalization.CultureInfo.InvariantCulture), g.TestGain.N.ToString()]));
            foreach (var paragraph in CurriculumNarrative.Describe(r)) w.Paragraph(paragraph);
        }

        Common(w, r, figures, key);
    }

    /// <summary>The sections every study has: Fisher and curvature when measured, the figures, what was run, machine and date.</summary>
    private static void Common(IReportWriter w, GapStudyResult r, IReadOnlyList<string> figures, string? key)
    {
        var fisherText = FisherNarrative.Describe(r);
        if (fisherText.Count > 0)
        {
            w.Heading(2, "Fisher information during training");
            w.Paragraph("True Fisher trace: mean over a fixed probe set of training examples of ‖∇θ log p(ŷ|x)‖² with ŷ sampled " +
                        "from the model; empirical: the same with the dataset's label. BatchNorm in eval mode; only unpruned weights count.");
            foreach (var paragraph in fisherText) w.Paragraph(paragraph);
        }

        SolutionReport.Compose(w, r);

        if (figures.Count > 0)
        {
            w.Heading(2, "Figures");
            foreach (var file in figures.Where(f => f != key))
                w.Image($"{FiguresFolder}/{Path.GetFileName(file)}", file, Caption(Path.GetFileName(file), r));
        }

        w.Heading(2, "What was run");
        w.Bullets(Measured(r));
        if (r.Config.Count > 0)
        {
            w.Heading(3, "Configuration");
            w.Bullets(r.Config.Select(kv => $"{kv.Key}: {Value(kv.Value)}"));
        }
        if (r.Environment.Count > 0)
        {
            w.Heading(3, "Machine and date");
            w.Bullets(r.Environment.Select(kv => $"{kv.Key}: {Value(kv.Value)}"));
        }
    }

    private static IReadOnlyList<string> Row(string label, StudyCell c) =>
        [label, AccuracyEstimate(c.TestAccuracy), Median(c.TestAccuracy), AccuracyEstimate(c.TrainAccuracy), Median(c.TrainAccuracy), c.TestAccuracy.N.ToString()];

    /// <summary>Beside the mean: a bimodal outcome (some seeds stalled at chance) has a mean no run reached.</summary>
    private static string Median(Estimate e) => e.Median is { } m ? Percent(m) : "n/a";

    private static IEnumerable<string> Measured(GapStudyResult r)
    {
        var seeds = r.Rows.Select(x => x.Seed).Distinct().Order().ToList();
        var sparsities = r.Rows.Where(x => x.Method != DenseRun.Name).Select(x => x.Sparsity).Distinct().Order().ToList();
        yield return $"Runs finished: {r.Rows.Count}";
        yield return $"Methods: {string.Join(", ", FigureStyle.OrderMethods(r.Rows.Select(x => x.Method)))}";
        yield return $"Sparsities: {(sparsities.Count == 0 ? "none" : string.Join(", ", sparsities.Select(SparsityText)))}";
        yield return $"Seeds: {(seeds.Count == 0 ? "none" : string.Join(", ", seeds))} ({seeds.Count} in all)";
        yield return $"Linear paths: {r.Paths.Count} (pairs: {string.Join(", ", r.Paths.Select(p => $"{p.From} → {p.To}").Distinct())})";
    }

    private static string Caption(string file, GapStudyResult r)
    {
        if (file.StartsWith("fisher_s", StringComparison.Ordinal))
            return "True Fisher trace (solid) and empirical Fisher trace (dashed) through training for dense and every sparse method, " +
                   "mean over seeds with a min–max band; epoch 0 is each run's initialization.";
        if (file == StudyFigures.AccuracyFile)
            return "Test (left) and train (right) accuracy against sparsity: mean over seeds, error bars are 95 % confidence " +
                   "intervals; the dashed line is the dense network; shaded sparsities are in the optimization regime.";
        var path = r.Paths.Select(p => p.Sparsity).Distinct().FirstOrDefault(s => StudyFigures.PathFile(s) == file);
        return $"Loss along the linear paths θ(α) = (1 − α)·θ_from + α·θ_to at sparsity {SparsityText(path)}: train loss solid, " +
               "test loss dashed, mean over seeds with a min–max band; dotted lines mark α = 0 and α = 1.";
    }

    private static string Title(GapStudyResult r)
    {
        string? model = Find(r.Config, "model"), dataset = Find(r.Config, "dataset");
        string what = (model, dataset) switch
        {
            (not null, not null) => $": {model} on {dataset}",
            (not null, null) => $": {model}",
            (null, not null) => $" on {dataset}",
            _ => "",
        };
        return r.GapClosed is { Count: > 0 } closed
            ? closed.All(g => CurriculumNarrative.IsEarly(g.Arm)) ? $"Early-phase Fisher control for sparse scratch{what}" : $"Fisher curriculum for sparse scratch, curriculum study{what}"
            : $"Sparse scratch vs sparse finetuning, gap study{what}";
    }

    // A key at the top level of the config, or one level down (e.g. train.model), compared case-insensitively.
    private static string? Find(IReadOnlyDictionary<string, object?> config, string key)
    {
        foreach (var (k, v) in config)
            if (string.Equals(k, key, StringComparison.OrdinalIgnoreCase) && v is not null) return Value(v);
        foreach (var v in config.Values)
        {
            if (v is IReadOnlyDictionary<string, object?> nested)
                foreach (var (k, inner) in nested)
                    if (string.Equals(k, key, StringComparison.OrdinalIgnoreCase) && inner is not null) return Value(inner);
            if (v is JsonElement { ValueKind: JsonValueKind.Object } json)
                foreach (var p in json.EnumerateObject())
                    if (string.Equals(p.Name, key, StringComparison.OrdinalIgnoreCase) && p.Value.ValueKind != JsonValueKind.Null) return Value(p.Value);
        }
        return null;
    }
}
