// Found by probing (issue 24): a checkpoint with one flipped byte exported
// different weights without a word, and one cut short at its tail was
// accepted by export and inspect. Now each reader checks the file's SHA-256:
// one `error:` line naming the damaged file, exit 1, nothing written.
using SparseLab.Tests.Foundations;

namespace SparseLab.Tests.Cli;

[Trait("Category", "Slow")]
public sealed class DamagedFileTests
{
    private static void AssertRefused(CliResult r, string file, string what)
    {
        Assert.True(r.ExitCode == 1, $"{what}: exit {r.ExitCode} {r.Err}");
        var line = Assert.Single(r.Err.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("error: ", line);
        Assert.Contains($"'{file}' is damaged (", line);
    }

    [Fact]
    public void Given_a_damaged_checkpoint_or_mask_Then_export_and_inspect_refuse_naming_the_file_and_write_nothing()
    {
        using var dir = new TempDir();
        string run = CliRunner.TrainTiny(dir.Combine("run"), "--sparsity", "0.9");
        string checkpoint = Path.Combine(run, "checkpoints", "final.ckpt"), mask = Path.Combine(run, "mask.safetensors");
        var goodCheckpoint = File.ReadAllBytes(checkpoint);
        var goodMask = File.ReadAllBytes(mask);
        var damages = new (string Name, string File, Action Damage)[]
        {
            ("checkpoint with a flipped byte", checkpoint, () => DamagedFiles.FlipByte(checkpoint, goodCheckpoint.Length / 2)),
            ("checkpoint cut short", checkpoint, () => DamagedFiles.CutShort(checkpoint, 1000)),
            ("mask with a flipped byte", mask, () => DamagedFiles.FlipByte(mask, -1)),
        };
        foreach (var (name, file, damage) in damages)
        {
            File.WriteAllBytes(checkpoint, goodCheckpoint);
            File.WriteAllBytes(mask, goodMask);
            damage();
            foreach (var format in file == checkpoint ? ["safetensors", "sparse"] : new[] { "safetensors" })   // the sparse format reads no mask
            {
                string output = dir.Combine($"out-{format}.safetensors");
                AssertRefused(CliRunner.Run("export", "--run", run, "--format", format, "--out", output), file, $"export --format {format}, {name}");
                Assert.False(File.Exists(output), output);
            }
            if (file == checkpoint) AssertRefused(CliRunner.Run("inspect", "--run", run), file, $"inspect, {name}");
        }
        Assert.Empty(Directory.GetFiles(dir.Path));   // nothing written beside the run, not even a temporary file
    }
}
