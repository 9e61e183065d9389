// Commands that read a run never write over its files (found by probing:
// prune onto the run's own mask, export onto its checkpoint or config.json,
// fisher onto its summary.json replaced them): each is refused naming the
// option and the path, and the run's files keep their bytes.
using System.Security.Cryptography;

namespace SparseLab.Tests.Cli;

[Trait("Category", "Slow")]
public sealed class OverwriteTests
{
    private static string Digest(string run) => string.Join(",", Directory.GetFiles(run, "*", SearchOption.AllDirectories).Order()
        .Select(f => $"{Path.GetRelativePath(run, f)}={Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(f)))}"));

    [Fact]
    public void Given_an_output_that_is_a_file_of_the_run_read_Then_it_is_refused_and_the_run_is_unchanged()
    {
        using var dir = new TempDir();
        string run = CliRunner.TrainTiny(dir.Combine("run"), "--sparsity", "0.9");
        string before = Digest(run);
        string[][] attempts =
        [
            ["prune", "--run", run, "--sparsity", "0.5", "--out", Path.Combine(run, "mask.safetensors")],
            ["export", "--run", run, "--out", Path.Combine(run, "checkpoints", "final.ckpt")],
            ["export", "--run", run, "--out", Path.Combine(run, "config.json")],
            ["export", "--run", run, "--format", "sparse", "--out", Path.Combine(run, "mask.safetensors")],
            ["fisher", "--run", run, "--samples", "16", "--out", Path.Combine(run, "summary.json")],
            ["fisher", "--run", run, "--samples", "16", "--out", dir.Combine("fisher.json"), "--scores", Path.Combine(run, "metrics.jsonl")],
            ["curvature", "--run", run, "--out", Path.Combine(run, "summary.json")],
        ];
        foreach (var args in attempts)
        {
            var r = CliRunner.Run(args);
            Assert.True(r.ExitCode == 2, $"{string.Join(' ', args)}: exit {r.ExitCode} {r.Err}");
            var line = Assert.Single(r.Err.Split('\n', StringSplitOptions.RemoveEmptyEntries));
            Assert.StartsWith("error: --", line);
            Assert.Contains("is a file of the run it reads", line);
        }
        Assert.Equal(before, Digest(run));
        Assert.False(File.Exists(dir.Combine("fisher.json")));
    }
}

/// <summary>Found by probing: an unwritable --out was reported by the temporary file's name, and fisher left a half-written pair.</summary>
[Trait("Category", "Slow")]
public sealed class UnwritableOutputTests
{
    [Fact]
    public void Given_an_output_that_cannot_be_written_Then_the_error_names_the_option_and_the_path_given_and_nothing_is_left()
    {
        using var dir = new TempDir();
        string run = CliRunner.TrainTiny(dir.Combine("run"));
        string blocked = dir.Combine("blocked");
        File.WriteAllText(blocked, "a file where a folder is needed");
        string mask = Path.Combine(blocked, "mask.safetensors");

        var prune = CliRunner.Run("prune", "--run", run, "--sparsity", "0.5", "--out", mask);
        Assert.Equal(1, prune.ExitCode);
        var line = Assert.Single(prune.Err.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith($"error: --out '{mask}' cannot be written: ", line);
        Assert.DoesNotContain(".tmp", line);

        string json = dir.Combine("fisher.json"), scores = dir.Combine("scores.csv");
        Directory.CreateDirectory(json);   // the summary cannot be written once the scores are
        var fisher = CliRunner.Run("fisher", "--run", run, "--samples", "16", "--out", json, "--scores", scores);
        Assert.Equal(1, fisher.ExitCode);
        Assert.StartsWith($"error: --out '{json}' cannot be written: it is a folder", Assert.Single(fisher.Err.Split('\n', StringSplitOptions.RemoveEmptyEntries)));
        Assert.False(File.Exists(scores), "the scores were left without their summary");
        Assert.Empty(Directory.GetFileSystemEntries(json));
    }
}

[Trait("Category", "Slow")]
public sealed class NonFiniteExportTests
{
    // Found by probing: a checkpoint with NaN weights was exported (and then inferred at 7 % accuracy) without a word.
    [Fact]
    public void Given_a_checkpoint_with_a_NaN_weight_Then_export_refuses_naming_the_tensor_and_writes_nothing()
    {
        using var dir = new TempDir();
        string run = CliRunner.TrainTiny(dir.Combine("run"));
        using (var saved = SparseLab.Training.SavedRun.Open(run))
        {
            using (TorchSharp.torch.no_grad()) saved.Model.state_dict()["fc2.weight"][0, 0] = float.NaN;
            SparseLab.Training.Checkpoint.Save(Path.Combine(run, "checkpoints", "final.ckpt"), saved.Model, null, new SparseLab.Training.TrainingState(1, 4, 0), null);
        }
        foreach (var format in new[] { "safetensors", "sparse" })
        {
            string output = dir.Combine($"model-{format}.bin");
            var r = CliRunner.Run("export", "--run", run, "--format", format, "--out", output);
            Assert.True(r.ExitCode == 1, $"{format}: exit {r.ExitCode} {r.Err}");
            var line = Assert.Single(r.Err.Split('\n', StringSplitOptions.RemoveEmptyEntries));
            Assert.StartsWith("error: --run", line);
            Assert.Contains("fc2.weight of its final checkpoint holds 1 NaN or infinite value", line);
            Assert.False(File.Exists(output));
        }
    }

    [Fact]
    public void Given_a_model_file_with_an_infinite_bias_Then_infer_refuses_naming_the_layer_and_reads_no_data()
    {
        using var dir = new TempDir();
        string run = CliRunner.TrainTiny(dir.Combine("run"), "--sparsity", "0.5"), good = dir.Combine("good.sparse.safetensors"), bad = dir.Combine("bad.sparse.safetensors");
        Assert.True(CliRunner.Run("export", "--run", run, "--format", "sparse", "--out", good).ExitCode == 0);
        Assert.True(CliRunner.Run("infer", "--model-file", good, "--dataset", "synthetic", "--limit-test", "64").ExitCode == 0);
        var model = SparseLab.Inference.SparseModelFile.Read(good);
        var (name, layer) = model.Layers.First();
        layer.Bias[0] = float.PositiveInfinity;
        SparseLab.Inference.SparseModelFile.Write(bad, model);

        var r = CliRunner.Run("infer", "--model-file", bad, "--dataset", "synthetic", "--limit-test", "64");
        Assert.Equal(1, r.ExitCode);
        var line = Assert.Single(r.Err.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Equal($"error: the model file '{bad}': {name}.bias holds 1 NaN or infinite value of {layer.Bias.Length}; " +
                     "a model that cannot compute is refused (was it exported from a run that diverged?)", line);
        Assert.DoesNotContain("accuracy", r.Out);
    }
}
