// The gap report end to end on a hand-made result: files, embedded figures,
// the generated reading of the numbers, and escaping of untrusted names.
using System.Text.RegularExpressions;
using SparseLab.Reporting;

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
}
