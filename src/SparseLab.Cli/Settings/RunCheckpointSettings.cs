// Options shared by the commands that open a saved run: --run and --checkpoint.
using System.ComponentModel;
using Spectre.Console.Cli;

namespace SparseLab.Cli.Settings;

public class RunCheckpointSettings : CommandSettings
{
    [CommandOption("--run <DIR>")] [Description("Run folder.")]
    public string? Run { get; init; }
    [CommandOption("--checkpoint <NAME>")] [Description("Checkpoint of --run: final (default), last or init.")]
    public string Checkpoint { get; init; } = "final";
}
