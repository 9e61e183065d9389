// claims.md: the ledger — the verdict table first (claim, verdict, key number,
// seeds, study), then per claim the seed's words and evidence, SparseLab's
// setting, the measurement, the rule that gave the verdict, the command that
// reproduces it, and a link to the study report behind it. Written directly
// (not through MarkdownReportWriter, which escapes all markup) because the
// ledger's cells hold links and emphasis of its own making; only the cells'
// pipes are escaped.
using System.Text;
using SparseLab.Foundations;
using SparseLab.Studies.Claims;

namespace SparseLab.Reporting;

public static class ClaimsReport
{
    public static string Markdown(ClaimsResult r)
    {
        var md = new StringBuilder();
        var e = r.Environment;
        md.Append("# What holds of \"The Price of Sparsity\": the claims ledger\n\n");
        if (r.Quick) md.Append("**--quick: tiny synthetic studies that test the machinery; these verdicts say nothing about the claims.**\n\n");
        md.Append($"Measured {e.StartedUtc:yyyy-MM-dd} on {e.Cpu} ({e.LogicalCores} cores, {e.Threads} threads), SparseLab {e.SparseLab}, " +
                  $"TorchSharp {e.TorchSharp}, libtorch {e.LibTorch}. Command: `{r.Command}`.\n\n" +
                  "Every interval is a 95 % Student-t interval over seeds, paired by seed. Verdicts: *holds*; *does not hold here* (the " +
                  "difference lies within the rule's margin); *reverses* (the opposite is beyond the noise); *undetermined* (the interval is " +
                  "too wide to tell, or the setting lacks what the claim needs).\n\n");
        md.Append("| Claim | Verdict | Key number | Seeds | Study |\n| --- | --- | --- | --- | --- |\n");
        foreach (var x in r.Rows)
            md.Append($"| [{Cell(x.Id)}](#{Anchor(x.Id)}): {Cell(x.Title)} | **{x.Verdict}** | {Cell(x.Key)} | {x.Seeds} | [{x.Study}]({x.Study}/report.md) |\n");
        md.Append("\n## The settings\n\n");
        foreach (var (name, setting) in r.StudySettings) md.Append($"- **{name}**: {setting}\n");
        foreach (var x in r.Rows)
        {
            md.Append($"\n## {x.Id}\n\n**{x.Title}: {x.Verdict}.** {x.Why}.\n\n");
            md.Append($"- The seed: \"{x.SeedWords}\"\n");
            md.Append($"- The seed's evidence: {x.SeedEvidence}\n");
            md.Append($"- SparseLab's setting: {x.Setting}\n");
            md.Append($"- Measured ({x.Seeds} seeds): {x.Measurement}\n");
            md.Append($"- Reproduce: `{x.Command}` (study report: [{x.Study}/report.md]({x.Study}/report.md))\n");
        }
        return md.ToString();
    }

    public static void Write(ClaimsResult r, string dir) => AtomicFile.WriteAllText(Path.Combine(dir, "claims.md"), Markdown(r));

    private static string Cell(string text) => text.Replace("|", "\\|").Replace('\n', ' ');

    /// <summary>The heading anchor GitHub gives "## C6 fisher-early": lower case, spaces to dashes.</summary>
    private static string Anchor(string id) => id.ToLowerInvariant().Replace(' ', '-');
}
