// Sparse training end to end through the CLI: train with a mask, export, and
// check in the exported file that every masked weight is exactly zero.
using SparseLab.Foundations;
using TorchSharp;

namespace SparseLab.Tests.Cli;

[Trait("Category", "Slow")]
public sealed class SparseTrainingTests
{
    private static readonly string[] Tiny = ["--dataset", "synthetic", "--model", "lenet5", "--threads", "1", "--limit-train", "512", "--limit-test", "128", "--epochs", "1"];

    [Fact]
    public void Given_a_sparse_lenet5_run_on_fashion_mnist_When_exported_Then_masked_weights_are_zero_and_sparsity_is_on_target()
    {
        using var dir = new TempDir();
        string run = dir.Combine("run"), file = dir.Combine("w.safetensors");
        var r = CliRunner.Run("train", "--dataset", "fashion-mnist", "--model", "lenet5", "--epochs", "1", "--limit-train", "2000", "--limit-test", "500",
            "--sparsity", "0.9", "--criterion", "magnitude", "--budget", "global", "--prune-at", "init", "--momentum", "0.9", "--weight-decay", "5e-4",
            "--threads", "2", "--out", run);
        Assert.True(r.ExitCode == 0, r.Err);
        var e = CliRunner.Run("export", "--run", run, "--format", "safetensors", "--out", file);
        Assert.True(e.ExitCode == 0, e.Err);

        var t = SafeTensors.Read(file);
        long total = 0, zeros = 0;
        foreach (var name in new[] { "conv1.weight", "conv2.weight", "fc1.weight", "fc2.weight", "fc3.weight" })
        {
            var w = t[name];
            var m = t["masks." + name];
            Assert.Equal(0L, w.masked_select(m.eq(0)).count_nonzero().item<long>());
            total += w.numel();
            zeros += w.numel() - w.count_nonzero().item<long>();
        }
        Assert.InRange((double)zeros / total, 0.899, 0.901);
        Assert.True(t.ContainsKey("conv1.bias"));
        var summary = new SparseLab.Training.RunFolder(run).ReadSummary();
        Assert.InRange(summary.Sparsity, 0.899, 0.901);
        Assert.True(summary.FlopsSparse < summary.FlopsDense);
    }

    [Fact]
    public void Given_a_dense_run_When_pruned_and_finetuned_with_that_mask_Then_the_finetune_keeps_the_mask()
    {
        using var dir = new TempDir();
        string dense = dir.Combine("dense"), mask = dir.Combine("m.safetensors"), fine = dir.Combine("fine");
        Assert.Equal(0, CliRunner.Run(["train", .. Tiny, "--out", dense]).ExitCode);
        var p = CliRunner.Run("prune", "--run", dense, "--sparsity", "0.8", "--criterion", "magnitude", "--budget", "uniform", "--out", mask);
        Assert.True(p.ExitCode == 0, p.Err);
        var f = CliRunner.Run(["train", .. Tiny, "--mask-from", mask, "--init-from", dense, "--out", fine]);
        Assert.True(f.ExitCode == 0, f.Err);
        Assert.InRange(new SparseLab.Training.RunFolder(fine).ReadSummary().Sparsity, 0.799, 0.801);
    }

    [Theory]
    [InlineData("--sparsity", "1.0", "--sparsity")]
    [InlineData("--sparsity", "-0.1", "--sparsity")]
    [InlineData("--criterion", "oracle", "oracle")]
    [InlineData("--budget", "fancy", "fancy")]
    [InlineData("--criterion", "nm:4:4", "nm:4:4")]
    [InlineData("--prune-at", "end", "--prune-at")]
    [InlineData("--mask-from", "/nonexistent/mask.safetensors", "/nonexistent")]
    [InlineData("--init-from", "/nonexistent/run", "/nonexistent")]
    public void Given_a_bad_sparsity_option_Then_exit_2_and_nothing_written(string option, string value, string mentions)
    {
        using var dir = new TempDir();
        string outDir = dir.Combine("run");
        string[] extra = option is "--criterion" or "--budget" or "--prune-at" ? ["--sparsity", "0.5"] : [];
        var r = CliRunner.Run(["train", .. Tiny, .. extra, option, value, "--out", outDir]);
        Assert.Equal(2, r.ExitCode);
        Assert.StartsWith("error: ", r.Err);
        Assert.Contains(mentions, r.Err);
        Assert.False(Directory.Exists(outDir));
    }

    [Fact]
    public void Given_nm_on_a_layer_whose_inputs_do_not_divide_Then_the_error_names_the_layer()
    {
        using var dir = new TempDir();
        var r = CliRunner.Run(["train", .. Tiny, "--sparsity", "0.5", "--criterion", "nm:2:4", "--out", dir.Combine("run")]);
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("conv1", r.Err);   // 1 input channel: not a multiple of 4
        Assert.False(Directory.Exists(dir.Combine("run")));
    }

    [Fact]
    public void Given_a_mask_for_another_model_Then_training_is_refused_naming_the_layer()
    {
        using var dir = new TempDir();
        string lenet = dir.Combine("lenet"), mask = dir.Combine("m.safetensors");
        Assert.Equal(0, CliRunner.Run(["train", .. Tiny, "--out", lenet]).ExitCode);
        Assert.Equal(0, CliRunner.Run("prune", "--run", lenet, "--sparsity", "0.5", "--out", mask).ExitCode);
        var r = CliRunner.Run("train", "--dataset", "synthetic", "--model", "mlp", "--threads", "1", "--limit-train", "512", "--epochs", "1", "--mask-from", mask, "--out", dir.Combine("mlp"));
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("does not fit this model", r.Err);
        Assert.False(Directory.Exists(dir.Combine("mlp")));
    }

    [Fact]
    public void Given_prune_or_export_with_a_missing_checkpoint_Then_exit_2_and_no_file()
    {
        using var dir = new TempDir();
        string run = dir.Combine("run");
        Assert.Equal(0, CliRunner.Run(["train", .. Tiny, "--out", run]).ExitCode);
        var p = CliRunner.Run("prune", "--run", run, "--checkpoint", "epoch7", "--sparsity", "0.5", "--out", dir.Combine("m.safetensors"));
        Assert.Equal(2, p.ExitCode);
        Assert.Contains("epoch7", p.Err);
        Assert.False(File.Exists(dir.Combine("m.safetensors")));
        var e = CliRunner.Run("export", "--run", dir.Combine("nope"), "--format", "safetensors", "--out", dir.Combine("w.safetensors"));
        Assert.Equal(2, e.ExitCode);
        Assert.False(File.Exists(dir.Combine("w.safetensors")));
    }

    [Fact]
    public void Given_a_sparse_run_When_inspected_Then_the_table_shows_measured_sparsity_and_flops()
    {
        using var dir = new TempDir();
        string run = dir.Combine("run");
        Assert.Equal(0, CliRunner.Run(["train", .. Tiny, "--sparsity", "0.75", "--budget", "uniform", "--out", run]).ExitCode);
        var r = CliRunner.Run("inspect", "--run", run);
        Assert.True(r.ExitCode == 0, r.Err);
        Assert.Contains("measured sparsity over prunable weights: 0.75", r.Out);
        Assert.Contains("FLOPs", r.Out);
    }
}
