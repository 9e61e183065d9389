// The gap study's report for a denoiser (--task diffusion): the verdict from
// the held-out denoising loss (Ho et al. 2020, Eq. 14, on fixed noise and
// timesteps per test image) — does sparse finetuning reach a lower loss than
// sparse scratch with the same mask, beyond the seed-to-seed noise (the
// paired 95 % interval of scratch − finetune excludes 0)? — the loss and
// Fréchet LeNet distance per method, and the regimes from the train-loss gap.
using System.Globalization;
using SparseLab.Studies;
using SparseLab.Studies.Methods;
using static SparseLab.Reporting.ReportFormat;

namespace SparseLab.Reporting;

public static class DiffusionGapReport
{
    public const string Claim =
        "The claim under test (the seed's, carried to image generation): with the same mask, a sparse denoiser trained from scratch " +
        "reaches a higher held-out denoising loss than pruning the trained dense denoiser and finetuning it.";

    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    public static void Compose(IReportWriter w, GapStudyResult r)
    {
        w.Paragraph(Claim);
        var regimes = r.Regimes.OrderBy(g => g.Sparsity).ToList();
        if (regimes.Any(g => g.TestGap.N < 2))
            w.Paragraph("Some settings have a single seed: no confidence interval exists with one seed, so a difference there cannot be told apart from noise. Run 3 or more seeds.");
        foreach (var g in regimes) w.Paragraph(Sentence(g));
        var shows = regimes.Where(g => g.TestGap.N >= 2 && g.TestGap.CiLow > 0).Select(g => SparsityText(g.Sparsity)).ToList();
        w.Paragraph(regimes.Count == 0 ? "No paired finetune/scratch comparison was recorded, so nothing can be said about the claim."
            : shows.Count == 0 ? "In short: the same-mask gap does not show for this denoiser beyond the noise at any sparsity measured."
            : $"In short: the same-mask gap shows beyond the noise at sparsity {string.Join(", ", shows)}.");
        w.Paragraph("Curvature and Fisher traces are not measured for denoisers yet.");

        w.Heading(2, "Denoising loss and sample quality per sparsity");
        w.Paragraph("Held-out denoising loss (mean ± sd [95 % CI] over seeds), the train loss on as many training images, and the Fréchet " +
                    "LeNet distance of each run's DDIM samples to as many test images (mean over seeds; lower is better; each run's summary.json " +
                    "holds its two references, the training images and a Gaussian fitted to the training pixels, and each run folder its samples.png).");
        var dense = r.Cells.Where(c => c.Method == DenseRun.Name).ToList();
        foreach (var group in r.Cells.Where(c => c.Method != DenseRun.Name).GroupBy(c => c.Sparsity).OrderBy(g => g.Key))
        {
            w.Heading(3, $"Sparsity {SparsityText(group.Key)} ({SparsityPercent(group.Key)} of the convolution and linear weights removed)");
            var byMethod = group.ToDictionary(c => c.Method);
            var rows = dense.Select(d => Row("dense (unpruned reference)", d, r))
                .Concat(FigureStyle.OrderMethods(byMethod.Keys).Select(m => Row(m, byMethod[m], r)));
            w.Table(["Method", "Test denoising loss [95 % CI]", "Train loss", "Fréchet LeNet distance", "n (seeds)"], rows);
        }

        w.Heading(2, "Regimes and gaps (scratch − finetune, paired by seed)");
        w.Paragraph("Gaps in denoising loss: positive means finetuning reached the lower loss. Generalization regime: the whole 95 % interval of " +
                    "the train-loss gap is below the threshold; optimization regime: at or above it; undetermined: the interval straddles it.");
        w.Table(["Sparsity", "Regime", "Train-loss gap [95 % CI]", "Test-loss gap [95 % CI]", "n (paired seeds)", "Threshold"],
            regimes.Select(g => (IReadOnlyList<string>)
                [SparsityText(g.Sparsity), g.Regime, Gap(g.TrainGap), Gap(g.TestGap), g.TestGap.N.ToString(Inv), g.Threshold.ToString("0.####", Inv)]));
    }

    private static string Sentence(StudyRegime g)
    {
        var e = g.TestGap;
        string where = $"At sparsity {SparsityText(g.Sparsity)} ({g.Regime} regime: train-loss gap scratch − finetune {Gap(g.TrainGap)})";
        return where + (e.N < 2
            ? $", scratch − finetune test denoising loss is {Signed(e.Mean)} with a single seed; the claim is not established here."
            : e.CiLow > 0 ? $", finetuning reached a lower test denoising loss than scratch by {Signed(e.Mean)} (95 % CI {Interval(e)}, {e.N} seeds paired): the gap exists here."
            : e.CiHigh < 0 ? $", scratch reached the lower loss (scratch − finetune 95 % CI {Interval(e)}, {e.N} seeds paired): the opposite of the claim holds."
            : $", scratch − finetune is {Signed(e.Mean)} with a 95 % CI {Interval(e)} that includes 0 ({e.N} seeds paired): not distinguishable from noise.");
    }

    private static IReadOnlyList<string> Row(string label, StudyCell c, GapStudyResult r)
    {
        var distances = r.Rows.Where(x => x.Method == c.Method && x.Sparsity == c.Sparsity && x.FrechetLenet is not null).Select(x => x.FrechetLenet!.Value).ToList();
        return [label, LossEstimate(c.TestLoss), c.TrainLoss.Mean.ToString("0.0000", Inv),
            distances.Count == 0 ? "–" : distances.Average().ToString("0.0", Inv), c.TestLoss.N.ToString(Inv)];
    }

    private static string Gap(Estimate e) => e.N < 2 ? $"{Signed(e.Mean)} (1 seed, no interval)" : $"{Signed(e.Mean)} {Interval(e)}";
    private static string Interval(Estimate e) => $"[{Signed(e.CiLow)}, {Signed(e.CiHigh)}]";
    private static string Signed(double x) => x.ToString("+0.0000;-0.0000;0.0000", Inv);
}
