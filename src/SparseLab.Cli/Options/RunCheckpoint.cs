// The options of commands that open a saved run: --run and --checkpoint.
using SparseLab.Foundations;

namespace SparseLab.Cli.Options;

public sealed record RunCheckpoint : IConfigRecord
{
    [Option("The run folder.", Value = "DIR", IsPath = true)]
    public string? Run { get; init; }

    [Option("Which of the run's checkpoints: final, last or init.", Value = "NAME", Requires = ["Run"])]
    public string Checkpoint { get; init; } = "final";

    public void Validate() => Check.That(Run is not null, nameof(Run), "is required: the run folder to open");

    /// <summary>
    /// Refuses an output that would write over a file of the run it reads (its mask, a checkpoint, config.json,
    /// summary.json…): a command reads the run and must leave it as it was. New files beside them are allowed.
    /// </summary>
    /// <param name="field">The output's option, as the command's Options record names it.</param>
    public void RefuseOverwrite(string? path, string field)
    {
        if (path is null || Run is null || !File.Exists(path)) return;
        string run = System.IO.Path.GetFullPath(Run).TrimEnd(System.IO.Path.DirectorySeparatorChar) + System.IO.Path.DirectorySeparatorChar;
        string full = System.IO.Path.GetFullPath(path);
        Check.That(!full.StartsWith(run, StringComparison.Ordinal), field,
            $"'{path}' is a file of the run it reads ({System.IO.Path.GetRelativePath(run, full)} in {Run}); write to another path");
    }
}
