// `sparselab run-config FILE`: runs one run of a study from the run file the
// study wrote into its configs/ folder (the resolved config, the masks it
// needs and how to make them), resuming the run if its folder holds a partial
// one. What every Slurm task runs; any other scheduler can run it too.
using SparseLab.Cli.Options;
using SparseLab.Cli.Rendering;
using SparseLab.Foundations;
using SparseLab.Studies.Execution;

namespace SparseLab.Cli.Commands;

public sealed class RunConfigCommand : CliCommand<RunConfigCommand.Options>, IHasPositional
{
    public sealed record Options
    {
        [Option("The run file (a study's configs/NAME.json); may also be given bare: run-config FILE.", Value = "FILE", IsPath = true)]
        public string? File { get; init; }
    }

    public override string Path => "run-config";
    public override string Description =>
        "Run one run of a study from its run file (configs/NAME.json in the study folder): makes the masks it needs, then trains, resuming a partial run; what each Slurm task runs.";
    public override IReadOnlyList<string> Examples => ["run-config runs/gap/configs/finetune-s0.9-seed1.json"];
    public string PositionalFlag => "--file";
    protected override Options Defaults => new();

    protected override int Execute(Bound<Options> bound)
    {
        string file = bound.Value.File ?? throw new ConfigError($"{ConfigError.Field(nameof(Options.File))} is missing: give the run file to run (run-config FILE)");
        var outcome = ConsoleObserver.Run(observer => RunConfigRunner.Execute(file, observer));
        SummaryPrinter.Print(outcome);
        return 0;
    }
}
