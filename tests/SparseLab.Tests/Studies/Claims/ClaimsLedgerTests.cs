// `study claims --quick` end to end: every claim gets a row with a verdict,
// claims.md opens with the verdict table, two rows are recomputed by hand
// from the stored study.json, and a folder written under other claim
// definitions, the other size, or with an unknown claim is refused.
using System.Text.Json.Nodes;
using SparseLab.Studies.Claims;
using SparseLab.Tests.Cli;

namespace SparseLab.Tests.Studies.Claims;

[Trait("Category", "Slow")]
public sealed class ClaimsLedgerTests
{
    private static CliResult Quick(string outDir, params string[] more) =>
        CliRunner.Run(["study", "claims", "--quick", "--threads", "1", "--out", outDir, .. more]);

    // t₀.₉₇₅ with 1 degree of freedom (2 seeds), from a printed table.
    private const double T1 = 12.706204736;

    [Fact]
    public void Given_the_quick_ledger_Then_every_claim_has_a_row_and_two_rows_recompute_from_study_json()
    {
        using var dir = new TempDir();
        string outDir = dir.Combine("claims");
        var r = Quick(outDir);
        Assert.True(r.ExitCode == 0, r.Err);

        var ledger = JsonNode.Parse(File.ReadAllText(Path.Combine(outDir, "claims.json")))!;
        var rows = ledger["rows"]!.AsArray();
        foreach (var claim in ClaimRegistry.All)
            Assert.Contains(rows, x => ((string)x!["id"]!).Split(' ')[0] == claim.Id);
        Assert.All(rows, x => Assert.Contains((string)x!["verdict"]!, new[] { Verdicts.Holds, Verdicts.DoesNotHold, Verdicts.Reverses, Verdicts.Undetermined }));
        string md = File.ReadAllText(Path.Combine(outDir, "claims.md"));
        Assert.StartsWith("# What holds of \"The Price of Sparsity\"", md);
        Assert.Contains("| Claim | Verdict | Key number | Seeds | Study |", md);
        Assert.True(File.Exists(Path.Combine(outDir, "gap", "report.md")));
        using (var mask = SparseLab.Sparsity.Mask.Load(Path.Combine(outDir, "gap", "masks", "solution-s0.9-seed1.safetensors")))
            Assert.DoesNotContain("fc3.weight", mask.Names);                 // the seed's pruning: the classifier stays dense (prune_last=0)

        var study = JsonNode.Parse(File.ReadAllText(Path.Combine(outDir, "gap", "study.json")))!["rows"]!.AsArray();
        double Acc(string method, double s, int seed) => (double)study.Single(x =>
            (string)x!["method"]! == method && (double)x["sparsity"]! == s && (long)x["seed"]! == seed)!["test_accuracy"]!;
        // C1's headline: the largest mean finetune − scratch gap in the seed's range 0.8–0.98 (here 0.9 alone); C7's: the largest |lottery − scratch|.
        AssertRecomputed(rows, "C1", [0.9], s => [Acc("finetune", s, 1) - Acc("scratch", s, 1), Acc("finetune", s, 2) - Acc("scratch", s, 2)], d => d.Average());
        AssertRecomputed(rows, "C7", [0.5, 0.9], s => [Acc("lottery", s, 1) - Acc("scratch", s, 1), Acc("lottery", s, 2) - Acc("scratch", s, 2)], d => Math.Abs(d.Average()));
    }

    private static void AssertRecomputed(JsonArray rows, string id, double[] sparsities, Func<double, double[]> differences, Func<double[], double> rank)
    {
        var d = sparsities.Select(differences).OrderByDescending(rank).First();
        double mean = d.Average(), sd = Math.Sqrt(d.Sum(x => (x - mean) * (x - mean)) / (d.Length - 1)), half = T1 * sd / Math.Sqrt(d.Length);
        var e = rows.Single(x => (string)x!["id"]! == id)!["estimate"]!;
        Assert.Equal(mean, (double)e["mean"]!, 9);
        Assert.Equal(mean - half, (double)e["ci_low"]!, 6);
        Assert.Equal(mean + half, (double)e["ci_high"]!, 6);
    }

    [Fact]
    public void Given_a_ledger_written_under_another_definition_Then_it_is_refused_naming_the_claim_and_nothing_is_written()
    {
        using var dir = new TempDir();
        string outDir = dir.Combine("claims");
        Directory.CreateDirectory(outDir);
        string definitions = Path.Combine(outDir, "claims-config.json");
        var c3 = new MonotonePath();
        File.WriteAllText(definitions, new JsonObject
        {
            ["quick"] = true,
            ["claims"] = new JsonObject { [c3.Id] = c3.Definition.Replace("0.02 nats", "0.05 nats") },
        }.ToJsonString());
        var r = Quick(outDir, "--claims", "C3");
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("error:", r.Err);
        Assert.Contains("C3 under another definition", r.Err);
        Assert.Contains("the rule", r.Err);
        Assert.Single(Directory.GetFileSystemEntries(outDir));                 // only the definitions file it found
    }

    [Fact]
    public void Given_a_quick_ledger_folder_When_the_full_ledger_is_asked_there_Then_it_is_refused()
    {
        using var dir = new TempDir();
        string outDir = dir.Combine("claims");
        Directory.CreateDirectory(outDir);
        File.WriteAllText(Path.Combine(outDir, "claims-config.json"), "{\"quick\":true,\"claims\":{}}");
        var r = CliRunner.Run(["study", "claims", "--claims", "C3", "--out", outDir]);
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("holds a --quick ledger", r.Err);
    }

    [Theory]
    [InlineData("--claims", "C9", "C9")]
    [InlineData("--claims", "C1,C1", "twice")]
    [InlineData("--threads", "-1", "--threads")]
    public void Given_bad_claims_options_Then_exit_2_and_no_folder(string option, string value, string mentions)
    {
        using var dir = new TempDir();
        string outDir = dir.Combine("claims");
        var r = Quick(outDir, option, value);
        Assert.Equal(2, r.ExitCode);
        Assert.StartsWith("error:", r.Err.Trim());
        Assert.Contains(mentions, r.Err);
        Assert.False(Directory.Exists(outDir));
    }
}
