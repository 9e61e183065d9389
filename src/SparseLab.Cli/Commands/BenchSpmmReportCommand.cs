// `sparselab bench spmm-report`: the plot and Markdown table of a saved
// `bench spmm` sweep (JSON lines), for bench/RESULTS.md.
using System.ComponentModel;
using SparseLab.Foundations;
using SparseLab.Reporting;
using Spectre.Console.Cli;

namespace SparseLab.Cli.Commands;

public sealed class BenchSpmmReportCommand : Command<BenchSpmmReportCommand.Settings>
{
    public sealed class Settings : CommandSettings
    {
        [CommandOption("--results <FILE>")] [Description("JSON lines written by bench spmm.")]
        public string? Results { get; init; }
        [CommandOption("--plot <PNG>")] [Description("Where to write the speedup-vs-sparsity figure.")]
        public string? Plot { get; init; }
    }

    public override int Execute(CommandContext context, Settings s, CancellationToken cancellationToken)
    {
        if (s.Results is null) throw new InvalidOptionException("--results is required: the JSON lines of bench spmm");
        var results = SpmmFigure.Read(s.Results);
        if (s.Plot is not null) SpmmFigure.Save(results, s.Plot);
        Console.Write(SpmmFigure.Table(results));
        return 0;
    }
}
