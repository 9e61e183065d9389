// Bad input to the options themselves (found by probing the CLI): every case
// gets one `error:` line naming the flag and what is wrong, exit 2 (1 for a
// file that cannot be written), and no run folder left behind.
namespace SparseLab.Tests.Cli;

public sealed class ConfigBadInputTests
{
    private static readonly string[] Tiny = ["--dataset", "synthetic", "--model", "mlp", "--threads", "1", "--limit-train", "256", "--limit-test", "64", "--epochs", "1"];

    private static void AssertOneError(CliResult r, int exitCode, string mentions)
    {
        Assert.True(r.ExitCode == exitCode, $"exit {r.ExitCode}: {r.Err}");
        var line = Assert.Single(r.Err.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("error: ", line);
        Assert.Contains(mentions, line);
        Assert.DoesNotContain("unexpected failure", line);
    }

    [Theory]
    [InlineData("--epochs", "abc", "--epochs must be a whole number, got 'abc'")]
    [InlineData("--epochs", "", "--epochs needs a value")]
    [InlineData("--sparsity", "", "--sparsity needs a value")]
    [InlineData("--lr", "inf", "--lr must be a number")]
    [InlineData("--lr", "NaN", "--lr must be a finite number")]
    [InlineData("--lr", "-1", "--lr must be > 0, got -1")]
    [InlineData("--sparsity", "0,5", "--sparsity must be a number (with a decimal point")]
    [InlineData("--model", "alexnet", "--model 'alexnet' is not known; use one of: mlp, mlp-wide, lenet5")]
    [InlineData("--criterion", "snip", "--criterion would be ignored: without --sparsity the run trains densely")]
    [InlineData("--layer-sparsity", "fc1.weight=0.5", "--layer-sparsity would be ignored")]
    [InlineData("--milestones", "5", "--milestones only apply to --lr-schedule step")]
    [InlineData("--warmup", "1.5", "is neither a whole number of epochs nor a fraction")]
    [InlineData("--nesterov", "maybe", "--nesterov is a switch")]
    public void Given_a_bad_value_Then_one_error_line_names_the_flag(string option, string value, string mentions)
    {
        using var dir = new TempDir();
        var r = CliRunner.Run(["train", .. CliRunner.Override(Tiny, option, value), "--out", dir.Combine("run")]);
        AssertOneError(r, 2, mentions);
        Assert.False(Directory.Exists(dir.Combine("run")));
    }

    [Fact]
    public void Given_a_flag_without_its_value_Then_the_error_names_it() =>
        AssertOneError(CliRunner.Run("train", "--epochs"), 2, "--epochs needs a value");

    [Fact]
    public void Given_a_flag_twice_Then_it_is_refused() =>
        AssertOneError(CliRunner.Run("train", "--epochs", "2", "--epochs", "3"), 2, "--epochs is given 2 times");

    [Fact]
    public void Given_nm_with_another_sparsity_Then_the_error_says_which_sparsity_nm_gives()
    {
        using var dir = new TempDir();
        var r = CliRunner.Run(["train", .. Tiny, "--sparsity", "0.9", "--criterion", "nm:2:4", "--out", dir.Combine("run")]);
        AssertOneError(r, 2, "--criterion nm:2:4 keeps 2 of every 4 weights, a sparsity of 0.5; pass --sparsity 0.5, not 0.9");
    }

    [Fact]
    public void Given_steps_and_epochs_together_Then_the_pair_is_refused()   // it trained the steps and said nothing of the epochs
    {
        using var dir = new TempDir();
        var r = CliRunner.Run(["train", .. CliRunner.Override(Tiny, "--epochs", "3"), "--steps", "4", "--out", dir.Combine("run")]);
        AssertOneError(r, 2, "--epochs 3 and --steps 4 both set the run's length; give one of them");
        Assert.False(Directory.Exists(dir.Combine("run")));
    }

    [Fact]
    public void Given_resume_on_a_folder_without_a_run_Then_it_is_refused()
    {
        using var dir = new TempDir();
        var r = CliRunner.Run(["train", .. Tiny, "--resume", "--out", dir.Combine("nothing")]);
        AssertOneError(r, 2, "holds no run to resume");
        AssertOneError(CliRunner.Run(["train", .. Tiny, "--resume"]), 2, "--resume needs --out");
    }

    [Fact]
    public void Given_an_out_that_is_a_file_Then_the_error_names_out()
    {
        using var dir = new TempDir();
        File.WriteAllText(dir.Combine("file"), "x");
        AssertOneError(CliRunner.Run(["train", .. Tiny, "--out", dir.Combine("file")]), 2, "--out '");
        AssertOneError(CliRunner.Run(["study", "gap", .. Tiny, "--sparsities", "0.9", "--seeds", "1", "--out", dir.Combine("file")]), 2, "is a file");
    }

    [Fact]
    public void Given_an_out_that_cannot_be_created_Then_exit_1_naming_out()
    {
        var r = CliRunner.Run(["train", .. Tiny, "--out", "/proc/sparselab-cannot-write/run"]);
        AssertOneError(r, 1, "--out '/proc/sparselab-cannot-write/run' cannot be written or read");
    }

    [Fact]
    public void Given_a_mask_file_that_lacks_a_layer_Then_the_run_refuses_it()
    {
        using var dir = new TempDir();
        Assert.Equal(0, CliRunner.Run(["train", .. Tiny, "--sparsity", "0.9", "--keep-first-dense", "--out", dir.Combine("a")]).ExitCode);
        var r = CliRunner.Run(["train", .. Tiny, "--mask-from", dir.Combine("a"), "--out", dir.Combine("b")]);
        AssertOneError(r, 2, "has no layer 'fc1.weight'");
        Assert.False(Directory.Exists(dir.Combine("b")));
    }

    [Fact]
    public void Given_a_checkpoint_of_garbage_or_a_truncated_summary_Then_the_error_names_the_file()
    {
        using var dir = new TempDir();
        string run = dir.Combine("run");
        Assert.Equal(0, CliRunner.Run(["train", .. Tiny, "--out", run]).ExitCode);
        string checkpoint = Path.Combine(run, "checkpoints", "final.ckpt");
        File.WriteAllBytes(checkpoint, [0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01, 0x02]);
        AssertOneError(CliRunner.Run("inspect", "--run", run), 1, "final.ckpt");
        string summary = Path.Combine(run, "summary.json");
        File.WriteAllText(summary, File.ReadAllText(summary)[..20]);
        AssertOneError(CliRunner.Run(["train", .. Tiny, "--out", run]), 1, "summary.json");
    }

    [Fact]
    public void Given_more_threads_than_cores_Then_a_warning_goes_to_stderr_and_the_run_uses_the_cores()
    {
        using var dir = new TempDir();
        var r = CliRunner.Run(["train", .. CliRunner.Override(Tiny, "--threads", "100000"), "--out", dir.Combine("run")]);
        Assert.Equal(0, r.ExitCode);
        Assert.Contains($"warning: 100000 threads asked for, but this machine has {Environment.ProcessorCount} cores", r.Err);
        Assert.DoesNotContain("warning", r.Out);
    }

    [Theory]
    [InlineData(new[] { "--seeds", "100000" }, "--seeds 100000: use 1 to 100 seeds")]
    [InlineData(new[] { "--regime-threshold", "NaN" }, "--regime-threshold must be a finite number")]
    [InlineData(new[] { "--points", "100000000" }, "--points 100000000: use 2 to 1001 points")]
    [InlineData(new[] { "--methods", "finetune,scratch,lotto" }, "--methods 'lotto' is not known; use one of: finetune, scratch, lottery")]
    [InlineData(new[] { "--methods", "finetune,scratch,el2n-curriculum", "--el2n-reference", "init" }, "--el2n-reference init: EL2N averages the error of trained models")]
    [InlineData(new[] { "--methods", "finetune,scratch,curriculum", "--curriculum", "el2n" }, "--curriculum 'el2n': the curriculum arms' score must be one of")]
    [InlineData(new[] { "--methods", "finetune,scratch,curriculum", "--pacing-b", "2" }, "--pacing-b the starting fraction must be in (0, 1], got 2")]
    [InlineData(new[] { "--order", "anti" }, "--order does not apply to `sparselab study gap`")]
    [InlineData(new[] { "--init-from", "x" }, "--init-from does not apply")]
    public void Given_a_bad_study_option_Then_it_is_refused_before_the_folder_is_claimed(string[] options, string mentions)
    {
        using var dir = new TempDir();
        var r = CliRunner.Run(["study", "gap", .. CliRunner.Override([.. Tiny, "--sparsities", "0.9", "--seeds", "1"], options), "--out", dir.Combine("study")]);
        AssertOneError(r, 2, mentions);
        Assert.False(Directory.Exists(dir.Combine("study")));
    }

    [Theory]
    [InlineData(new[] { "--inits", "xavier" }, "--inits 'xavier' is not known; use one of:")]
    [InlineData(new[] { "--inits", "pytorch-default,pytorch-default" }, "must not list a value twice")]
    [InlineData(new[] { "--references", "warmup:0" }, "--references")]
    [InlineData(new[] { "--init", "kaiming-normal" }, "--init does not apply")]
    [InlineData(new[] { "--curriculum-reference", "dense" }, "--curriculum-reference does not apply")]
    public void Given_a_bad_sweep_option_Then_it_is_refused_before_any_cell_runs(string[] options, string mentions)
    {
        using var dir = new TempDir();
        var r = CliRunner.Run(["study", "sweep", .. CliRunner.Override([.. Tiny, "--sparsities", "0.9", "--seeds", "1"], options), "--out", dir.Combine("sweep")]);
        AssertOneError(r, 2, mentions);
        Assert.False(Directory.Exists(dir.Combine("sweep")));
    }

    [Fact]
    public void Given_a_folder_holding_a_run_of_another_config_Then_the_error_says_what_differs()
    {
        using var dir = new TempDir();
        Assert.Equal(0, CliRunner.Run(["train", .. Tiny, "--out", dir.Combine("run")]).ExitCode);
        var r = CliRunner.Run(["train", .. Tiny, "--lr", "0.1", "--out", dir.Combine("run")]);
        AssertOneError(r, 2, "holds a run with a different config (Lr (saved the default, now 0.1))");
    }

    [Fact]
    public void Given_milestones_past_the_end_of_training_Then_the_error_suggests_fractions()
    {
        using var dir = new TempDir();
        var r = CliRunner.Run(["train", .. Tiny, "--lr-schedule", "step", "--milestones", "80,120", "--out", dir.Combine("run")]);
        AssertOneError(r, 2, "--milestones 80ep,120ep falls at step");
        Assert.Contains("follow --epochs", r.Err);
        Assert.False(Directory.Exists(dir.Combine("run")));
    }

    [Fact]
    public void Given_an_interpolation_of_a_hundred_million_points_Then_it_is_refused_before_any_work()
    {
        using var dir = new TempDir();
        var r = CliRunner.Run("interpolate", "--from", dir.Combine("a"), "--to", dir.Combine("b"), "--out", dir.Combine("p"), "--points", "100000000");
        AssertOneError(r, 2, "--points must be 2 to 1001");
    }

    [Fact]
    public void Given_imp_targets_out_of_range_Then_the_error_names_targets() =>
        AssertOneError(CliRunner.Run(["imp", .. Tiny, "--targets", "1.5"]), 2, "--targets 1.5: an IMP target must be in (0, 1)");

    [Fact]
    public void Given_an_unknown_option_close_to_a_known_one_Then_the_error_suggests_it() =>
        AssertOneError(CliRunner.Run("train", "--epoch", "2"), 2, "did you mean --epochs?");
}
