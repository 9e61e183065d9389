// Runs the CLI in process and captures what it prints.
using SparseLab.Cli;

namespace SparseLab.Tests.Cli;

internal sealed record CliResult(int ExitCode, string Out, string Err);

internal static class CliRunner
{
    /// <summary><paramref name="args"/> with the flags in <paramref name="overrides"/> replaced (or added): an option may be given once.</summary>
    public static string[] Override(string[] args, params string[] overrides)
    {
        var given = overrides.Where(a => a.StartsWith("--", StringComparison.Ordinal)).ToHashSet();
        var kept = new List<string>();
        for (int i = 0; i < args.Length; i++)
        {
            if (!given.Contains(args[i])) { kept.Add(args[i]); continue; }
            if (i + 1 < args.Length && !args[i + 1].StartsWith("--", StringComparison.Ordinal)) i++;   // its value
        }
        return [.. kept, .. overrides];
    }

    /// <summary>Trains a one-epoch MLP on 256 synthetic images into <paramref name="outDir"/> (extra options appended) and returns the folder.</summary>
    public static string TrainTiny(string outDir, params string[] extra)
    {
        var r = Run(["train", "--dataset", "synthetic", "--model", "mlp", "--threads", "1", "--limit-train", "256", "--limit-test", "64",
            "--epochs", "1", .. extra, "--out", outDir]);
        Assert.True(r.ExitCode == 0, r.Err);
        return outDir;
    }

    public static CliResult Run(params string[] args)
    {
        var o = new StringWriter();
        var e = new StringWriter();
        int code = CliApp.Run(args, o, e);
        return new CliResult(code, o.ToString(), e.ToString());
    }
}
