// Early-phase runs end to end on tiny synthetic data: masked weights exactly zero, the same seed giving the
// same numbers, the scoring and penalty passes counted in train_flops, the options entering the run hash
// only when set, and every bad input refused with one `error:` line naming the flag, exit 2, nothing written.
using SparseLab.EarlyPhase;
using SparseLab.Foundations;
using SparseLab.Tests.Cli;
using SparseLab.Tests.Training;
using SparseLab.Training;

namespace SparseLab.Tests.EarlyPhase;

public sealed class EarlyPhaseTrainingTests
{
    private sealed class Silent : ITrainingObserver;

    // 512 examples, batch 64: 8 steps an epoch, 16 in all; t* = 0.5 is 8 steps.
    private static TrainConfig Sparse(EarlyPhaseConfig early, long seed = 1) => TrainingRunTests.Tiny(seed) with
    {
        Sparsity = new() { Target = 0.9 },
        Early = early with { Steps = Duration.Fraction(0.5) },
    };

    /// <summary>Checks after every optimizer step (after the mask enforcer, which runs first) that no pruned weight is nonzero.</summary>
    private sealed class PrunedStayZero : ITrainingCallback
    {
        public int Steps { get; private set; }

        public void OnAfterStep(TrainingContext context)
        {
            var weights = context.Model.named_parameters().ToDictionary(p => p.name, p => p.parameter);
            foreach (var name in context.Mask!.Names)
                Assert.True(weights[name].mul(context.Mask[name].eq(0)).eq(0).all().item<bool>(), $"{name} has a nonzero pruned weight after step {context.Step}");
            Steps++;
        }
    }

    private static void AssertMaskedWeightsAreZero(RunFolder run)
    {
        foreach (var checkpoint in new[] { "init", "final" })
        {
            using var saved = SavedRun.Open(run.Path, checkpoint);
            using var mask = saved.LoadMask()!;
            foreach (var (name, w) in saved.Prunable)
                Assert.True(w.mul(mask[name].eq(0)).eq(0).all().item<bool>(), $"{name} has a nonzero pruned weight at {checkpoint}");
        }
    }

    [Theory]
    [InlineData("fisher", null)]
    [InlineData("fisher-hard", null)]
    [InlineData(null, 0.5)]
    public void Given_an_early_phase_run_Then_pruned_weights_stay_exactly_zero_and_the_same_seed_gives_the_same_numbers(string? select, double? penalty)
    {
        using var dir = new TempDir();
        var early = new EarlyPhaseConfig { Select = select, Penalty = penalty };
        var check = new PrunedStayZero();
        var a = TrainingRun.Execute(Sparse(early, seed: 3), dir.Combine("a"), false, new Silent(), [check]);
        Assert.Equal(16, check.Steps);
        var b = TrainingRun.Execute(Sparse(early, seed: 3), dir.Combine("b"), false, new Silent()).Summary;
        var plain = TrainingRun.Execute(Sparse(new(), seed: 3) with { Early = new() }, dir.Combine("plain"), false, new Silent()).Summary;

        AssertMaskedWeightsAreZero(a.Run);
        Assert.Equal(0.9, a.Summary.Sparsity, 3);
        Assert.Equal(a.Summary.TestLoss, b.TestLoss);
        Assert.Equal(a.Summary.TrainLoss, b.TrainLoss);
        Assert.Equal(a.Summary.TrainFlops, b.TrainFlops);
        Assert.NotEqual(plain.TrainLoss, a.Summary.TrainLoss);        // the early phase changed the run
    }

    [Fact]
    public void Given_early_phase_runs_Then_train_flops_count_their_scoring_and_penalty_passes()
    {
        using var dir = new TempDir();
        TrainingSummary Run(string name, EarlyPhaseConfig early) => TrainingRun.Execute(Sparse(early), dir.Combine(name), false, new Silent()).Summary;
        var fisher = Run("fisher", new() { Select = "fisher" });
        var loss = Run("loss", new() { Select = "loss" });
        var random = Run("random", new() { Select = "random" });
        var penalty = Run("penalty", new() { Penalty = 0.5 });
        var plain = TrainingRun.Execute(Sparse(new()) with { Early = new() }, dir.Combine("plain"), false, new Silent()).Summary;

        Assert.Null(plain.EarlyPhaseFlops);
        double PerPass(TrainingSummary s) => s.TrainCostVsDense!.Value * s.FlopsDense;   // one forward at the run's mean density
        Assert.Equal(PerPass(fisher) * 8 * 256 * 3, fisher.EarlyPhaseFlops!.Value, 1e-6 * fisher.EarlyPhaseFlops!.Value);   // 8 steps × pool of 4·64 × (forward + backward)
        Assert.Equal(PerPass(loss) * 8 * 256 * 1, loss.EarlyPhaseFlops!.Value, 1e-6 * loss.EarlyPhaseFlops!.Value);
        Assert.Equal(0, random.EarlyPhaseFlops!.Value);
        Assert.Equal(PerPass(penalty) * 8 * 64 * FisherPenalty.PassesPerExample, penalty.EarlyPhaseFlops!.Value, 1e-6 * penalty.EarlyPhaseFlops!.Value);
        foreach (var s in new[] { fisher, loss, random, penalty })
            Assert.Equal(PerPass(s) * 3 * 16 * 64 + s.EarlyPhaseFlops!.Value, s.TrainFlops!.Value, 1e-6 * s.TrainFlops!.Value);
        Assert.True(fisher.TrainFlops > loss.TrainFlops && loss.TrainFlops > random.TrainFlops);
    }

    [Fact]
    public void Given_sparse_kernels_When_the_early_selection_scores_Then_the_run_matches_the_dense_kernels_run()
    {
        using var dir = new TempDir();
        var c = Sparse(new() { Select = "fisher" }) with { Sparsity = new() { Target = 0.95 } };
        var sparse = TrainingRun.Execute(c with { Runtime = c.Runtime with { Kernels = "sparse" } }, dir.Combine("sparse"), false, new Silent()).Summary;
        var dense = TrainingRun.Execute(c with { Runtime = c.Runtime with { Kernels = "dense" } }, dir.Combine("dense"), false, new Silent()).Summary;
        Assert.Equal(dense.TestLoss, sparse.TestLoss, 1e-4);   // the scoring sees the weights the sparse kernels train (written back after every step)
        Assert.Equal(dense.TrainLoss, sparse.TrainLoss, 1e-4);
    }

    [Fact]
    public void Given_early_options_Then_they_enter_the_run_hash_only_when_set()
    {
        var c = TrainingRunTests.Tiny();
        Assert.Equal(ConfigHash.Canonical(c), ConfigHash.Canonical(c with { Early = new() }));
        Assert.DoesNotContain("Early", ConfigHash.Canonical(c));
        var set = ConfigHash.Canonical(c with { Early = new() { Select = "fisher", Steps = Duration.Steps(500), PoolFactor = 8, Penalty = 0.01 } });
        foreach (var part in new[] { "EarlySelect=fisher", "EarlySteps=500it", "EarlyPool=8", "FisherPenalty=0.01" }) Assert.Contains(part, set);
        Assert.NotEqual(ConfigHash.Hash(c with { Early = new() { Select = "fisher" } }), ConfigHash.Hash(c with { Early = new() { Select = "loss" } }));
    }

    [Fact]
    public void Given_an_early_config_Then_config_json_reads_back_the_same_run()
    {
        var c = TrainingRunTests.Tiny() with { Early = new() { Select = "fisher-hard", Steps = Duration.Epochs(1), PoolFactor = 3, Penalty = 0.25 } };
        var back = ConfigJson.Read<TrainConfig>(ConfigJson.Write(c));   // what run files (`run-config`, Slurm) carry
        Assert.Equal(c.Early, back.Early);
        Assert.Equal(ConfigHash.Canonical(c), ConfigHash.Canonical(back));
    }

    private static readonly string[] Tiny = ["--dataset", "synthetic", "--model", "mlp", "--threads", "1", "--limit-train", "256", "--limit-test", "64", "--epochs", "2", "--batch-size", "64"];

    [Theory]
    [InlineData(new[] { "--fisher-penalty", "0" }, "--fisher-penalty must be > 0, got 0")]
    [InlineData(new[] { "--fisher-penalty", "-0.5" }, "--fisher-penalty must be > 0, got -0.5")]
    [InlineData(new[] { "--early-select", "fisher", "--early-pool", "0" }, "--early-pool must be at least 1")]
    [InlineData(new[] { "--early-select", "fisher", "--early-steps", "3ep" }, "--early-steps 3ep is longer than training")]
    [InlineData(new[] { "--early-select", "fisher", "--early-steps", "9it" }, "--early-steps 9it (9 steps) is longer than training (8 steps)")]
    [InlineData(new[] { "--fisher-penalty", "0.1", "--early-steps", "1.5" }, "--early-steps 1.5 is longer than training")]
    [InlineData(new[] { "--early-steps", "0.2" }, "--early-steps would be ignored: give --early-select or --fisher-penalty")]
    [InlineData(new[] { "--early-pool", "8" }, "--early-pool would be ignored")]
    [InlineData(new[] { "--fisher-penalty", "0.1", "--early-pool", "8" }, "--early-pool would be ignored: the pool is --early-select's")]
    [InlineData(new[] { "--early-select", "hardest" }, "--early-select 'hardest' is not known; use one of: fisher, fisher-hard, loss, random")]
    [InlineData(new[] { "--fisher-penalty", "0.1", "--sparsity", "0.9", "--kernels", "sparse" }, "--kernels sparse cannot train with --fisher-penalty")]
    [InlineData(new[] { "--early-select", "fisher", "--curriculum", "loss" }, "--early-select and --curriculum both choose the batches")]
    public void Given_a_bad_early_option_Then_one_error_line_names_the_flag_exit_2_and_nothing_is_written(string[] options, string mentions)
    {
        using var dir = new TempDir();
        string run = dir.Combine("run");
        var r = CliRunner.Run(["train", .. Tiny, .. options, "--out", run]);
        Assert.True(r.ExitCode == 2, $"exit {r.ExitCode}: {r.Err}");
        var line = Assert.Single(r.Err.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("error: ", line);
        Assert.Contains(mentions, line);
        Assert.False(Directory.Exists(run));
    }

    [Theory]
    [InlineData("--early-select", "fisher", "--early-select fisher scores single examples by their gradient norms, which need an image classifier")]
    [InlineData("--fisher-penalty", "0.1", "--fisher-penalty is built for image classifiers")]
    public void Given_a_language_model_Then_the_early_phase_is_refused_naming_what_it_needs(string flag, string value, string mentions)
    {
        using var dir = new TempDir();
        string text = dir.Combine("t.txt");
        File.WriteAllText(text, string.Concat(Enumerable.Repeat("the quick brown fox jumps over the lazy dog. ", 200)));
        string run = dir.Combine("run");
        var r = CliRunner.Run(["train", "--model", "gpt", "--dataset", "text", "--text", text, flag, value, "--out", run]);
        Assert.True(r.ExitCode == 2, $"exit {r.ExitCode}: {r.Err}");
        var line = Assert.Single(r.Err.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("error: ", line);
        Assert.Contains(mentions, line);
        Assert.False(Directory.Exists(run));
    }

    [Fact]
    public void Given_a_penalty_run_with_auto_kernels_Then_it_trains_on_dense_kernels_and_says_why()
    {
        using var dir = new TempDir();
        string run = dir.Combine("run");
        var r = CliRunner.Run(["train", .. Tiny, "--sparsity", "0.9", "--fisher-penalty", "0.1", "--kernels", "auto", "--out", run]);
        Assert.True(r.ExitCode == 0, r.Err);
        Assert.Contains("dense for every layer: the Fisher penalty needs double backward", r.Out + r.Err);
        var layers = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(Path.Combine(run, "config.json")))!["kernels"]!.AsArray();
        Assert.NotEmpty(layers);
        Assert.All(layers, l =>
        {
            Assert.Equal("dense", (string?)l!["kernels"]);
            Assert.Contains("double backward", (string?)l["reason"]);
        });
    }
}
