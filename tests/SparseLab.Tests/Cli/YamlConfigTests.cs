using SparseLab.Cli;

namespace SparseLab.Tests.Cli;

public sealed class YamlConfigTests
{
    [Fact]
    public void Given_a_yaml_file_Then_its_keys_become_options_and_the_command_line_wins()
    {
        using var dir = new TempDir();
        string file = dir.Combine("c.yaml");
        File.WriteAllText(file, "epochs: 7\nbatch_size: 32\nmilestones: [3, 5]\nnesterov: true\nlr: 0.2\n");
        var args = YamlConfig.Apply(["train", "--config", file, "--lr", "0.3"]);
        Assert.Equal(["train", "--lr", "0.3", "--epochs", "7", "--batch-size", "32", "--milestones", "3,5", "--nesterov"], args);
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
        Assert.Equal(0.02, saved.Lr);
        Assert.Equal(256, saved.LimitTrain);
    }
}
