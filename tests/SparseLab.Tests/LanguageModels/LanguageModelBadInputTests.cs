// Bad input to the language-model paths: one `error:` line naming the input,
// a non-zero exit, and no run folder written.
namespace SparseLab.Tests.LanguageModels;

public sealed class LanguageModelBadInputTests
{
    private static void Refused(string[] args, string expected, string? outDir = null)
    {
        var r = Cli.CliRunner.Run(args);
        Assert.NotEqual(0, r.ExitCode);
        var line = Assert.Single(r.Err.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("error:", line);
        Assert.Contains(expected, line);
        if (outDir is not null) Assert.False(Directory.Exists(outDir), $"{outDir} was written");
    }

    [Fact]
    public void GivenTextDatasetsAndModelsThatDoNotFit_ThenEachIsRefusedByName()
    {
        using var dir = new TempDir();
        string text = dir.Combine("t.txt");
        File.WriteAllText(text, TinyTextRun.English(5000));
        string binary = dir.Combine("b.bin");
        File.WriteAllBytes(binary, [65, 66, 0, 67]);
        string empty = dir.Combine("e.txt");
        File.WriteAllText(empty, "");
        string run = dir.Combine("run");
        Refused(["train", "--model", "gpt", "--dataset", "text", "--out", run], "--text", run);
        Refused(["train", "--model", "gpt", "--dataset", "text", "--text", binary, "--out", run], "binary", run);
        Refused(["train", "--model", "gpt", "--dataset", "text", "--text", empty, "--out", run], "is empty", run);
        Refused(["train", "--model", "gpt", "--dataset", "text", "--text", dir.Combine("missing.txt"), "--out", run], "does not exist", run);
        Refused(["train", "--model", "gpt", "--dataset", "text", "--text", text, "--block-size", "4000", "--out", run], "too short", run);
        Refused(["train", "--model", "gpt", "--dataset", "text", "--text", text, "--block-size", "0", "--out", run], "--block-size", run);
        Refused(["train", "--model", "gpt", "--dataset", "text", "--text", text, "--n-embd", "30", "--n-head", "4", "--out", run], "--n-embd", run);
        Refused(["train", "--model", "gpt", "--dataset", "text", "--text", text, "--dropout", "1", "--out", run], "--dropout", run);
        Refused(["train", "--model", "gpt", "--dataset", "fashion-mnist", "--out", run], "language model", run);
        Refused(["train", "--model", "lenet5", "--dataset", "text", "--text", text, "--out", run], "image classifier", run);
        Refused(["train", "--model", "lenet5", "--n-layer", "2", "--out", run], "--n-layer", run);
        Refused(["train", "--model", "lenet5", "--text", text, "--out", run], "--text", run);
        Refused(["train", "--model", "gpt", "--dataset", "text", "--text", text, "--init", "pytorch-default", "--out", run], "--init", run);
        Refused(["train", "--model", "gpt", "--dataset", "text", "--text", text, "--sparsity", "0.5", "--criterion", "snip", "--out", run], "snip", run);
        Refused(["train", "--model", "gpt", "--dataset", "text", "--text", text, "--fisher-every", "epoch", "--fisher-method", "naive", "--out", run], "--fisher-method", run);
        Refused(["train", "--model", "gpt", "--dataset", "text", "--text", text, "--label-noise", "0.1", "--out", run], "--label-noise", run);
        Refused(["train", "--model", "gpt", "--dataset", "text", "--text", text, "--clip-grad", "0", "--out", run], "--clip-grad", run);
        Refused(["train", "--model", "gpt", "--dataset", "text", "--text", text, "--curriculum", "el2n", "--out", run], "scores images only", run);
        Refused(["train", "--model", "gpt", "--dataset", "text", "--text", text, "--curriculum", "loss", "--balance-classes", "--out", run], "--balance-classes", run);
        Refused(["study", "gap", "--model", "gpt", "--dataset", "text", "--text", text, "--methods", "finetune,scratch,scratch-snip", "--out", dir.Combine("study")], "scratch-snip", dir.Combine("study"));
    }

    [Fact]
    public void GivenBadSamplingOptions_WhenGenerating_ThenEachIsRefusedByName()
    {
        using var dir = new TempDir();
        string image = dir.Combine("image");
        Assert.Equal(0, Cli.CliRunner.Run("train", "--dataset", "synthetic", "--model", "mlp", "--threads", "1", "--limit-train", "64", "--limit-test", "32",
            "--epochs", "1", "--batch-size", "32", "--out", image).ExitCode);
        Refused(["generate", "--run", image], "image classifier");
        Refused(["generate"], "--run");
        Refused(["generate", "--run", dir.Combine("nothing")], "no such folder");
        Refused(["generate", "--run", image, "--tokens", "0"], "--tokens");
        Refused(["generate", "--run", image, "--temperature", "-1"], "--temperature");
        Refused(["generate", "--run", image, "--top-k", "300"], "--top-k");
        Refused(["generate", "--run", image, "--prompt", ""], "--prompt");
        Refused(["oneshot", "--run", image, "--criterion", "wanda", "--sparsity", "0.5", "--calibration-tokens", "100", "--out", dir.Combine("o")], "--calibration-tokens", dir.Combine("o"));
    }
}
