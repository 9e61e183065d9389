// The options of commands that open a saved run: --run and --checkpoint.
using SparseLab.Foundations;

namespace SparseLab.Cli.Options;

public sealed record RunCheckpoint : IConfigRecord
{
    [Option("The run folder.", Value = "DIR", IsPath = true)]
    public string? Run { get; init; }

    [Option("Which of the run's checkpoints: final, last or init.", Value = "NAME")]
    public string Checkpoint { get; init; } = "final";

    public void Validate() => Check.That(Run is not null, nameof(Run), "is required: the run folder to open");
}
