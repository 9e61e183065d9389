// The ledger in docs/ is backed by its studies' numbers: C1's and C5's rows
// in docs/claims/claims.json are recomputed by hand from the study.json files
// published beside them, and every row of claims.json appears in the
// verdict table of docs/claims.md (and so in the README, which copies it).
using System.Text.Json.Nodes;

namespace SparseLab.Tests.Studies.Claims;

public sealed class PublishedLedgerTests
{
    private static string Docs => Path.Combine(Cli.CliReferenceTests.Root, "docs");

    private static JsonArray Rows(string study) => JsonNode.Parse(File.ReadAllText(Path.Combine(Docs, "claims", study, "study.json")))!["rows"]!.AsArray();

    private static double[] Differences(JsonArray rows, double s, string a, string b)
    {
        double Acc(string method, long seed) => (double)rows.Single(x => (string)x!["method"]! == method && (long)x["seed"]! == seed
            && (method == "dense" || (double)x["sparsity"]! == s))!["test_accuracy"]!;
        var seeds = rows.Where(x => (string)x!["method"]! == a).Select(x => (long)x!["seed"]!).Distinct().Order();
        return [.. seeds.Select(seed => Acc(a, seed) - Acc(b, seed))];
    }

    private static void AssertEstimate(JsonNode estimate, double[] d)
    {
        double mean = d.Average(), sd = Math.Sqrt(d.Sum(x => (x - mean) * (x - mean)) / (d.Length - 1));
        double half = 2.7764451052 * sd / Math.Sqrt(d.Length);   // t₀.₉₇₅ with 4 degrees of freedom (5 seeds), from a printed table
        Assert.Equal(5, d.Length);
        Assert.Equal(mean, (double)estimate["mean"]!, 9);
        Assert.Equal(mean - half, (double)estimate["ci_low"]!, 6);
        Assert.Equal(mean + half, (double)estimate["ci_high"]!, 6);
    }

    [Fact]
    public void Given_the_published_ledger_Then_C1_and_C5_recompute_from_their_study_json()
    {
        var ledger = JsonNode.Parse(File.ReadAllText(Path.Combine(Docs, "claims", "claims.json")))!["rows"]!.AsArray();
        // C1's headline: the largest mean finetune − scratch test gap among the sparsities of the seed's range 0.8–0.98.
        var gap = Rows("gap");
        var c1 = new[] { 0.8, 0.9, 0.95, 0.98 }.Select(s => Differences(gap, s, "finetune", "scratch")).OrderByDescending(d => d.Average()).First();
        AssertEstimate(ledger.Single(x => (string)x!["id"]! == "C1")!["estimate"]!, c1);
        // C5's: scratch − finetune on clean test accuracy at 0.95 under 30 % label noise.
        AssertEstimate(ledger.Single(x => (string)x!["id"]! == "C5")!["estimate"]!, Differences(Rows("memorization"), 0.95, "scratch", "finetune"));
    }

    [Fact]
    public void Given_the_published_ledger_Then_every_row_is_in_the_table_of_docs_claims_md_with_its_verdict()
    {
        var ledger = JsonNode.Parse(File.ReadAllText(Path.Combine(Docs, "claims", "claims.json")))!["rows"]!.AsArray();
        string md = File.ReadAllText(Path.Combine(Docs, "claims.md"));
        string readme = File.ReadAllText(Path.Combine(Cli.CliReferenceTests.Root, "README.md"));
        foreach (var row in ledger)
        {
            string cell = $"[{(string)row!["id"]!}]";
            Assert.Contains(md.Split('\n'), l => l.StartsWith("| " + cell, StringComparison.Ordinal) && l.Contains($"**{(string)row["verdict"]!}**"));
            Assert.Contains(readme.Split('\n'), l => l.StartsWith("| " + cell, StringComparison.Ordinal) && l.Contains($"**{(string)row["verdict"]!}**"));
        }
    }
}
