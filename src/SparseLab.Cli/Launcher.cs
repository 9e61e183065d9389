// How a Slurm task starts this same CLI on a node: the dotnet host and the
// CLI's dll by absolute path (both must be on the shared filesystem or
// installed alike on every node), or SPARSELAB_LAUNCHER when set (a command
// such as /opt/sparselab/sparselab; one word, no shell quoting).
namespace SparseLab.Cli;

public static class Launcher
{
    public static IReadOnlyList<string> Command()
    {
        if (Environment.GetEnvironmentVariable("SPARSELAB_LAUNCHER") is { Length: > 0 } custom) return [custom];
        return [Dotnet(), typeof(Launcher).Assembly.Location];
    }

    /// <summary>The dotnet host running this process, or the one on PATH.</summary>
    private static string Dotnet()
    {
        if (Environment.ProcessPath is { } self && System.IO.Path.GetFileNameWithoutExtension(self) == "dotnet") return self;
        if (Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host)) return host;
        return Studies.Execution.SlurmClient.Find("dotnet") ?? "dotnet";
    }
}
