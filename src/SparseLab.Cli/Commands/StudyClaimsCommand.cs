// `sparselab study claims`: the claims ledger — what of "The Price of
// Sparsity" holds, where, and by how much. Runs a study per claim (resumably,
// on either executor), judges every claim, writes claims.md and claims.json.
using SparseLab.Cli.Options;
using SparseLab.Cli.Rendering;
using SparseLab.Foundations;
using SparseLab.Reporting;
using SparseLab.Studies.Claims;
using SparseLab.Studies.Execution;

namespace SparseLab.Cli.Commands;

public sealed class StudyClaimsCommand : CliCommand<StudyClaimsCommand.Options>
{
    public sealed record Options
    {
        public ClaimsConfig Ledger { get; init; } = new();

        [Option("Ledger folder: claims.md, claims.json, one study folder per study, and the runs they share; rerunning it skips finished runs.",
            Value = "DIR", IsPath = true)]
        public string Out { get; init; } = "runs/claims";

        /// <summary>Where the runs train (--executor local|slurm and the Slurm options).</summary>
        public ExecutionConfig Execution { get; init; } = new();
    }

    public override string Path => "study claims";
    public override string Description =>
        "The claims ledger: test each claim of the seed (the same-mask gap, two regimes, linear paths, sharper solutions, memorization, " +
        "the fix, lottery ≈ scratch) in its own study and write claims.md with verdicts, intervals and the command behind every row.";
    public override IReadOnlyList<string> Examples =>
    [
        "study claims --out runs/claims",
        "study claims --claims C1,C2 --threads 2 --out runs/claims",
        "study claims --quick --out runs/claims-quick",
    ];
    protected override Options Defaults => new();

    protected override int Execute(Bound<Options> bound)
    {
        var o = bound.Value;
        var executor = StudyCommand.ExecutorFor(o.Execution, o.Ledger.Threads);
        var result = ConsoleObserver.Run(observer => new ClaimsLedger(o.Ledger, o.Out, observer).Run(executor, (study, dir) => GapReport.Write(study, dir)));
        if (result is null)
        {
            Console.WriteLine($"submitted: rerun the same command once squeue no longer lists the jobs ({o.Out})");
            return 0;
        }
        ClaimsReport.Write(result, o.Out);
        Console.WriteLine();
        foreach (var row in result.Rows) Console.WriteLine($"{row.Id}: {row.Title}: {row.Verdict} ({row.Key})");
        Console.WriteLine($"ledger: {System.IO.Path.Combine(o.Out, "claims.md")} (also claims.json, and a report per study)");
        return 0;
    }
}
