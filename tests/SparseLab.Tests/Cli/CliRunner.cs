// Runs the CLI in process and captures what it prints.
using SparseLab.Cli;

namespace SparseLab.Tests.Cli;

internal sealed record CliResult(int ExitCode, string Out, string Err);

internal static class CliRunner
{
    public static CliResult Run(params string[] args)
    {
        var o = new StringWriter();
        var e = new StringWriter();
        int code = CliApp.Run(args, o, e);
        return new CliResult(code, o.ToString(), e.ToString());
    }
}
