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

    // docs/studies/stalls-2026-12-07.md and the README quote these counts: recounted here from the published rows
    // with the stall rule, and the lottery-vs-scratch Fisher p by hand.
    [Fact]
    public void Given_the_published_stall_study_Then_its_counts_recount_from_its_rows_and_lottery_against_scratch_is_p_0014()
    {
        var rows = JsonNode.Parse(File.ReadAllText(Path.Combine(Docs, "studies", "stalls-2026-12-07", "study.json")))!["rows"]!.AsArray();
        int Stalled(string method) => rows.Count(r => (string)r!["method"]! == method &&
            (Math.Abs((double)r["train_loss"]! - Math.Log(10)) <= 0.001 || Math.Abs((double)r["test_accuracy"]! - 0.1) <= 0.005));
        var counts = new[] { "finetune", "scratch", "lottery", "curriculum", "random-pacing", "fisher-early", "random-early" }.Select(Stalled);
        Assert.Equal([0, 18, 10, 17, 18, 20, 18], counts);
        Assert.All(new[] { "scratch", "lottery", "curriculum" }, m => Assert.Equal(20, rows.Count(r => (string)r!["method"]! == m)));
        // [[10, 10], [18, 2]], 28 stalled of 40: P(x) ∝ C(28, x) C(12, 20 − x); two-sided, tables as likely as x = 10 or less.
        static double LogChoose(int n, int k) => Enumerable.Range(1, k).Sum(i => Math.Log(n - k + i) - Math.Log(i));
        double P(int x) => Math.Exp(LogChoose(28, x) + LogChoose(12, 20 - x) - LogChoose(40, 20));
        double observed = P(10), p = Enumerable.Range(8, 13).Select(P).Where(q => q <= observed * (1 + 1e-7)).Sum();
        Assert.Equal(0.014, Math.Round(p, 3));
        var test = JsonNode.Parse(File.ReadAllText(Path.Combine(Docs, "studies", "stalls-2026-12-07", "study.json")))!["stall_tests"]!.AsArray()
            .Single(t => (string)t!["method"]! == "lottery" && (string)t["reference"]! == "scratch")!;
        Assert.Equal(p, (double)test["fisher_p"]!, 9);
    }
}
