// `sparselab bench spmm-report`: the plot and Markdown table of a saved
// `bench spmm` sweep (JSON lines), for bench/RESULTS.md.
using SparseLab.Cli.Options;
using SparseLab.Foundations;
using SparseLab.Reporting;

namespace SparseLab.Cli.Commands;

public sealed class BenchSpmmReportCommand : CliCommand<BenchSpmmReportCommand.Options>
{
    public sealed record Options
    {
        [Option("JSON lines written by bench spmm.", Value = "FILE", IsPath = true)]
        public string? Results { get; init; }

        [Option("Where to write the speedup-vs-sparsity figure.", Value = "PNG", IsPath = true)]
        public string? Plot { get; init; }
    }

    public override string Path => "bench spmm-report";
    public override string Description => "Markdown table (stdout) and speedup-vs-sparsity plot (--plot PNG) of saved bench spmm JSON lines.";
    protected override Options Defaults => new();

    protected override int Execute(Bound<Options> bound)
    {
        var s = bound.Value;
        Check.That(s.Results is not null, nameof(Options.Results), "is required: the JSON lines of bench spmm");
        var results = SpmmFigure.Read(s.Results!);
        if (s.Plot is not null) SpmmFigure.Save(results, s.Plot);
        Console.Write(SpmmFigure.Table(results));
        return 0;
    }
}
