// --config FILE.yaml: its keys are the command's options, the command line wins,
// and every bad key or value is named by file, key and line.
using SparseLab.Cli.Commands;
using SparseLab.Foundations;

namespace SparseLab.Tests.Cli;

public sealed class YamlConfigTests
{
    [Fact]
    public void Given_a_yaml_file_Then_its_keys_set_the_options_and_the_command_line_wins()
    {
        using var dir = new TempDir();
        string file = dir.Combine("c.yaml");
        File.WriteAllText(file, "epochs: 7\nbatch_size: 32\nlr-schedule: step\nmilestones: [3, 5]\nnesterov: true\nlr: 0.2\n");
        var c = new TrainCommand().Parse("--config", file, "--lr", "0.3").Value.Train.Optimization;
        Assert.Equal((7, 32, 0.3, true), (c.Epochs, c.BatchSize, c.Lr, c.Nesterov));
        Assert.Equal([Duration.Epochs(3), Duration.Epochs(5)], c.Milestones);
    }

    [Fact]
    public void Given_a_config_file_When_training_Then_the_resolved_config_is_saved_with_the_run()
    {
        using var dir = new TempDir();
        string file = dir.Combine("c.yaml");
        File.WriteAllText(file, "dataset: synthetic\nmodel: mlp\nepochs: 1\nlimit-train: 256\nlimit-test: 64\nthreads: 1\nlr: 0.02\n");
        var r = CliRunner.Run("train", "--config", file, "--out", dir.Combine("run"));
        Assert.True(r.ExitCode == 0, r.Err);
        var saved = new SparseLab.Training.RunFolder(dir.Combine("run")).ReadConfig()!;
        Assert.Equal(0.02, saved.Optimization.Lr);
        Assert.Equal(256, saved.Data.LimitTrain);
    }

    [Theory]
    [InlineData("foo-bar: 1\n", "unknown key 'foo-bar'")]
    [InlineData("epochs: 2\nepochs: 3\n", "line 2")]
    [InlineData("epochs: abc\n", "epochs in")]
    [InlineData("epochs:\n", "'epochs' has no value")]
    [InlineData("nesterov: maybe\n", "true or false")]
    [InlineData("lr: [0.1, 0.2]\n", "takes one value")]
    [InlineData("lr:\n  a: 1\n", "must be a value")]
    [InlineData("optimizer: lion\n", "'lion' is not known")]
    [InlineData("resume: --resume\n", "resume")]
    [InlineData("- a\n- b\n", "expected a mapping")]
    [InlineData("sparsity: 0.9\nkeep-first-dense: 2\n", "true or false")]
    public void Given_a_bad_config_file_Then_one_error_line_names_the_file_and_the_key(string yaml, string mentions)
    {
        using var dir = new TempDir();
        string file = dir.Combine("bad.yaml");
        File.WriteAllText(file, yaml);
        var r = CliRunner.Run("train", "--config", file, "--out", dir.Combine("run"));
        Assert.Equal(2, r.ExitCode);
        var line = Assert.Single(r.Err.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("error: ", line);
        Assert.Contains(mentions, line);
        Assert.Contains("bad.yaml", line);
        Assert.False(Directory.Exists(dir.Combine("run")));
    }

    [Fact]
    public void Given_a_key_the_study_sets_itself_Then_the_error_says_why()
    {
        using var dir = new TempDir();
        string file = dir.Combine("study.yaml");
        File.WriteAllText(file, "sparsity: 0.9\n");
        var r = CliRunner.Run("study", "gap", "--config", file, "--out", dir.Combine("study"));
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("sets it itself", r.Err);
        Assert.Contains("--sparsities", r.Err);
    }
}
