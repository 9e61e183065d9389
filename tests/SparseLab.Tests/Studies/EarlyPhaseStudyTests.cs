// The early-phase arms in a tiny gap study: every arm trains with scratch's mask M and starts from
// scratch's Init-S bit for bit, keeps pruned weights zero, differs from scratch only by its early phase,
// is priced with its scoring and penalty passes, and has a gap-closed row; study options no listed arm
// would use are refused.
using System.Text.Json.Nodes;
using SparseLab.Sparsity;
using SparseLab.Tests.Cli;
using SparseLab.Training;

namespace SparseLab.Tests.Studies;

[Trait("Category", "Slow")]
public sealed class EarlyPhaseStudyTests
{
    private static readonly string[] Arms = ["fisher-early", "fisher-early-hard", "loss-early", "random-early", "fisher-penalty"];

    private static string[] Args(string outDir, string methods = "finetune,scratch,fisher-early,fisher-early-hard,loss-early,random-early,fisher-penalty") =>
        ["study", "gap", "--dataset", "synthetic", "--model", "mlp", "--sparsities", "0.9", "--seeds", "1", "--epochs", "2",
         "--limit-train", "256", "--limit-test", "64", "--batch-size", "64", "--points", "0", "--no-curvature", "--no-fisher",
         "--threads", "1", "--methods", methods, "--early-steps", "0.5", "--out", outDir];

    [Fact]
    public void Given_a_tiny_study_with_the_early_arms_Then_each_uses_scratchs_mask_and_init_and_is_priced_and_compared()
    {
        using var dir = new TempDir();
        string outDir = dir.Combine("early");
        var r = CliRunner.Run(Args(outDir));
        Assert.True(r.ExitCode == 0, r.Err);

        var study = JsonNode.Parse(File.ReadAllText(Path.Combine(outDir, "study.json")))!;
        var rows = study["rows"]!.AsArray();
        Assert.Equal(1 + 2 + Arms.Length, rows.Count);
        string Run(string label) => Directory.GetDirectories(Path.Combine(outDir, "runs"), label + "-*").Single();
        string scratch = Run("scratch-s0.9-seed1");
        using var m = Mask.Load(Path.Combine(outDir, "masks", "solution-s0.9-seed1.safetensors"));
        using var scratchInit = SavedRun.Open(scratch, "init");
        var initS = scratchInit.Model.state_dict();
        foreach (var arm in Arms)
        {
            string run = Run($"{arm}-s0.9-seed1");
            using (var used = Mask.Load(Path.Combine(run, "mask.safetensors")))
                foreach (var name in m.Names) Assert.True(m[name].eq(used[name]).all().item<bool>(), $"{arm} trained with another mask than M at {name}");
            using (var init = SavedRun.Open(run, "init"))
                foreach (var (name, w) in init.Model.state_dict())
                    Assert.True(w.eq(initS[name]).all().item<bool>(), $"{arm}'s init differs from scratch's Init-S at {name}");
            using (var final = SavedRun.Open(run, "final"))
                foreach (var (name, w) in final.Prunable)
                    Assert.True(w.mul(m[name].eq(0)).eq(0).all().item<bool>(), $"{arm} revived pruned weights of {name}");
            var canonical = (string)JsonNode.Parse(File.ReadAllText(Path.Combine(run, "config.json")))!["canonical"]!;
            Assert.Equal(Canonical(scratch).Split(';'), canonical.Split(';').Where(p => !IsEarly(p)));   // scratch's recipe and its early phase, nothing else
            Assert.Contains(canonical.Split(';'), IsEarly);
        }

        double Marginal(string method) => (double)rows.Single(x => (string?)x!["method"] == method)!["marginal_cost"]!;
        Assert.True(Marginal("fisher-early") > Marginal("loss-early"));
        Assert.True(Marginal("loss-early") > Marginal("random-early"));
        Assert.Equal(Marginal("scratch"), Marginal("random-early"), 6);          // same mask, no scoring
        Assert.Equal(Marginal("fisher-early"), Marginal("fisher-early-hard"), 6);
        Assert.True(Marginal("fisher-penalty") > Marginal("scratch"));

        var closed = study["gap_closed"]!.AsArray();
        Assert.Equal(Arms, closed.Select(g => (string?)g!["arm"]));
        Assert.Contains(";Early.Steps=0.5", (string?)study["config"]!["canonical"]);
        string md = File.ReadAllText(Path.Combine(outDir, "report.md"));
        Assert.Contains("Early-phase arms: gap closed and cost", md);
        Assert.Contains("The early-phase proposal under test", md);
        Assert.DoesNotContain("random-pacing", md);
    }

    private static string Canonical(string run) => (string)JsonNode.Parse(File.ReadAllText(Path.Combine(run, "config.json")))!["canonical"]!;

    private static bool IsEarly(string part) => part.StartsWith("Early", StringComparison.Ordinal) || part.StartsWith("FisherPenalty=", StringComparison.Ordinal);

    [Theory]
    [InlineData("finetune,scratch,fisher-penalty", new[] { "--early-pool", "8" }, "--early-pool would be ignored: no early-selection arm")]
    [InlineData("finetune,scratch,fisher-early", new[] { "--fisher-penalty", "0.1" }, "--fisher-penalty would be ignored: fisher-penalty is not in --methods")]
    [InlineData("finetune,scratch,fisher-early", new[] { "--early-select", "loss" }, "--early-select does not apply to `sparselab study gap`: the study's runs train plainly; each early-phase arm sets its own selection")]
    [InlineData("finetune,scratch,fisher-early", new[] { "--early-steps", "30it" }, "--early-steps 30it (30 steps) is longer than training (8 steps)")]
    [InlineData("finetune,scratch,fisher-early", new[] { "--early-pool", "0" }, "--early-pool must be at least 1")]
    [InlineData("finetune,scratch,fisher-penalty", new[] { "--fisher-penalty", "-1" }, "--fisher-penalty must be > 0, got -1")]
    [InlineData("finetune,scratch,fisher-penalty", new[] { "--kernels", "sparse" }, "--kernels sparse cannot train with --fisher-penalty")]
    public void Given_a_bad_early_option_in_a_study_Then_one_error_line_names_it_and_no_study_folder(string methods, string[] options, string mentions)
    {
        using var dir = new TempDir();
        string outDir = dir.Combine("early");
        var r = CliRunner.Run([.. CliRunner.Override(Args(outDir, methods), options)]);
        Assert.True(r.ExitCode == 2, $"exit {r.ExitCode}: {r.Err}");
        var line = Assert.Single(r.Err.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("error: ", line);
        Assert.Contains(mentions, line);
        Assert.False(Directory.Exists(outDir));
    }

    [Fact]
    public void Given_no_early_arm_Then_early_steps_in_a_study_is_refused()
    {
        using var dir = new TempDir();
        string outDir = dir.Combine("early");
        var r = CliRunner.Run(Args(outDir, "finetune,scratch"));
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("--early-steps would be ignored: no early-phase arm", r.Err);
        Assert.False(Directory.Exists(outDir));
    }

    [Fact]
    public void Given_a_language_model_study_Then_an_early_selection_arm_is_refused_by_name()
    {
        using var dir = new TempDir();
        string text = dir.Combine("t.txt");
        File.WriteAllText(text, string.Concat(Enumerable.Repeat("the quick brown fox jumps over the lazy dog. ", 200)));
        string outDir = dir.Combine("study");
        var r = CliRunner.Run(["study", "gap", "--model", "gpt", "--dataset", "text", "--text", text, "--methods", "finetune,scratch,fisher-early", "--out", outDir]);
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("fisher-early does not run on the text dataset text (it scores single images by their per-example gradient norms or losses)", r.Err);
        Assert.False(Directory.Exists(outDir));
    }
}
