// The gap report end to end on a hand-made result: files, embedded figures,
// the generated reading of the numbers, and escaping of untrusted names.
using System.Text.RegularExpressions;
using SparseLab.Reporting;
using SparseLab.Studies;

namespace SparseLab.Tests.Reporting;

public sealed class GapReportTests
{
    private static readonly byte[] PngSignature = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];

    [Fact]
    public void GivenASmallStudy_WhenTheReportIsWritten_ThenMarkdownHtmlAndPngFiguresExist()
    {
        using var dir = new TempDir();
        var written = GapReport.Write(GapFixture.Result(), dir.Path);

        string[] pngs = [dir.Combine("figures", "accuracy_vs_sparsity.png"), dir.Combine("figures", "path_s0.9.png")];
        Assert.Equal(new[] { dir.Combine("report.md"), dir.Combine("report.html") }.Concat(pngs), written);
        foreach (var png in pngs)
        {
            byte[] bytes = File.ReadAllBytes(png);
            Assert.True(bytes.Length > 10_000, $"{png} is only {bytes.Length} bytes");
            Assert.Equal(PngSignature, bytes[..8]);
        }
        Assert.Empty(Directory.GetFiles(dir.Path, "*.tmp*", SearchOption.AllDirectories));

        string md = File.ReadAllText(dir.Combine("report.md"));
        Assert.Contains("](figures/accuracy_vs_sparsity.png)", md);
        Assert.Contains("](figures/path_s0.9.png)", md);
        Assert.Contains("lenet5", md);
        Assert.Contains("test box", md);

        string html = File.ReadAllText(dir.Combine("report.html"));
        Assert.Equal(2, Regex.Matches(html, "data:image/png;base64,").Count);
        // Base64 payloads may spell "http" by chance: look for links only in the rest of the page.
        string text = Regex.Replace(html, "data:image/png;base64,[A-Za-z0-9+/=]+", "");
        Assert.DoesNotContain("http", text, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("<link", text, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void GivenFinetuneClearlyAhead_WhenDescribed_ThenTheClaimShowsAtBothSparsities()
    {
        var text = string.Join("\n", GapNarrative.Describe(GapFixture.Result(scratchDeficit: 0.02)));
        Assert.Contains("the seed's claim shows here", text);
        Assert.DoesNotContain("does not show", text);
        Assert.Contains("generalization regime", text);
        Assert.Contains("optimization regime", text);
    }

    [Fact]
    public void GivenScratchAtLeastAsGoodAsFinetune_WhenTheReportIsWritten_ThenItSaysTheClaimDoesNotShow()
    {
        using var dir = new TempDir();
        GapReport.Write(GapFixture.Result(scratchDeficit: -0.02), dir.Path);
        string md = File.ReadAllText(dir.Combine("report.md"));
        Assert.Contains("does not show", md);
        Assert.DoesNotContain("the seed's claim shows here", md);
    }

    [Fact]
    public void GivenOneSeed_WhenDescribed_ThenItSaysIntervalsAreUnavailable()
    {
        var full = GapFixture.Result();
        var oneSeed = full with
        {
            Regimes = full.Regimes.Select(r => r with
            {
                TrainGap = Statistics.Summarize([r.TrainGap.Mean]), TestGap = Statistics.Summarize([r.TestGap.Mean]),
            }).ToList(),
        };
        var text = string.Join("\n", GapNarrative.Describe(oneSeed));
        Assert.Contains("intervals are unavailable", text);
        Assert.Contains("no interval exists with one seed", text);
    }

    [Fact]
    public void GivenAMethodNameWithMarkup_WhenTheReportIsWritten_ThenHtmlAndMarkdownEscapeIt()
    {
        using var dir = new TempDir();
        GapReport.Write(GapFixture.Result(scratchName: "scratch<b>&"), dir.Path);
        string html = File.ReadAllText(dir.Combine("report.html"));
        Assert.Contains("scratch&lt;b&gt;&amp;", html);
        Assert.DoesNotContain("scratch<b>", html);
        Assert.Contains("scratch\\<b\\>&", File.ReadAllText(dir.Combine("report.md")));
    }

    [Fact]
    public void GivenStallsLabelNoiseAndProbedSolutions_WhenTheReportIsWritten_ThenItShowsCountsExactPValuesMediansMemorizationAndRatios()
    {
        var full = GapFixture.Result();
        // Scratch at 0.9 stalls in both seeds (10.00 % test accuracy); every run trained with flipped labels.
        var rows = full.Rows.Select(x => (x.Method == "scratch" && x.Sparsity == 0.9 ? x with { TestAccuracy = 0.1 } : x) with
        {
            TrainAccuracyClean = 0.95, TrainAccuracyNoisy = 0.3, MemorizedFraction = 0.3, GeneralizedFraction = x.Method == "scratch" ? 0.5 : 0.4,
        }).ToList();
        CurvatureRow Probe(double s, string method, long seed, double fisher) =>
            new(s, method, seed, 1, 10, 2, fisher, 0.4, Samples: 64, FisherDraws: 1);
        List<CurvatureRow> probes = [Probe(0, "dense", 1, 1), Probe(0, "dense", 2, 1),
            Probe(0.9, "finetune", 1, 2), Probe(0.9, "finetune", 2, 3), Probe(0.9, "scratch", 1, 4), Probe(0.9, "scratch", 2, 6)];
        var config = new Dictionary<string, object?>(full.Config) { ["stall_rule"] = StallRule.Describe(10) };
        var r = full with
        {
            Rows = rows, Config = config, Memorization = ArmComparison.Memorization(rows),
            Stalls = StallTable.Counts(rows, 10), StallTests = StallTable.Tests(rows, 10),
            Curvature = probes, SolutionRatios = SolutionComparison.Build(probes),
        };
        using var dir = new TempDir();

        GapReport.Write(r, dir.Path);

        string md = File.ReadAllText(dir.Combine("report.md")).Replace("\\[", "[").Replace("\\]", "]");   // Markdown escapes brackets
        Assert.Contains("Test median (%)", md);
        Assert.Contains("## Runs stalled at chance", md);
        Assert.Contains("Some runs stalled at chance (scratch at sparsity 0.9: 2 of 2)", md);   // said in the verdict too
        Assert.Contains("| 0.9 | scratch | 2 / 2 | 1, 2 |", md);
        Assert.Contains("| 0.9 | finetune | scratch | 0/2 vs 2/2 | 0.333 | 0 / 2 of 2 | 0.5 |", md);   // Fisher [[0, 2], [2, 0]]: 2/6; McNemar 2 · ¼
        Assert.Contains("## Label noise: memorization", md);
        Assert.Contains("| scratch | 10.00 [10.00, 10.00] (10.00); -", md);                          // clean test accuracy, median, then the gap to finetune
        Assert.Contains("50.00 [50.00, 50.00] (50.00); +10.00", md);                                   // generalized: scratch 50 % against finetune's 40 %
        Assert.Contains("True Fisher trace", md);
        Assert.Contains("Probe set: 64 examples, 1 label draws each.", md);
        Assert.Contains("| 0.9 | scratch | 2.00× [2.00, 2.00] |", md);                                 // Fisher trace 4/2 and 6/3: both seeds 2×
        Assert.Contains("At sparsity 0.9, scratch's solution is higher than finetune's beyond the noise on the true Fisher trace (2.00× [2.00, 2.00]); " +
                        "not distinguishable from finetune's on the Hessian trace, the top Hessian eigenvalue, the input-Jacobian norm, the prediction entropy.", md);
    }
}
