// Every command of `sparselab`, in the order --help lists them, and the
// groups (study, bench) they sit in. Tests walk this list: every command's
// --help must work, and the README's CLI reference must match it.
using System.CommandLine;
using SparseLab.Cli.Commands;
using SparseLab.Foundations;

namespace SparseLab.Cli;

public static class CommandTree
{
    public static IReadOnlyList<ICliCommand> Commands { get; } =
    [
        new DemoCommand(),
        new TrainCommand(),
        new RunConfigCommand(),
        new ImpCommand(),
        new PruneCommand(),
        new OneShotCommand(),
        new ExportCommand(),
        new InferCommand(),
        new GenerateCommand(),
        new InterpolateCommand(),
        new FisherCommand(),
        new CurvatureCommand(),
        new InspectCommand(),
        new StudyGapCommand(),
        new StudyCurriculumCommand(),
        new StudySweepCommand(),
        new StudyCollectCommand(),
        new StudyClaimsCommand(),
        new BenchTrainCommand(),
        new BenchFisherCommand(),
        new BenchSpmmCommand(),
        new BenchConvCommand(),
        new BenchProfileCommand(),
        new BenchSpmmReportCommand(),
        new BenchInferCommand(),
    ];

    public static IReadOnlyDictionary<string, string> Groups { get; } = new Dictionary<string, string>
    {
        ["study"] = "Multi-run experiments with statistics and a report.",
        ["bench"] = "Benchmarks, measured side by side with libtorch.",
    };

    /// <summary>Every path --help works on: the root, the groups and the commands.</summary>
    public static IEnumerable<string> Paths => [.. new[] { "" }.Concat(Groups.Keys).Concat(Commands.Select(c => c.Path))];

    /// <summary>The root command, named as users type it; --help and --version on it.</summary>
    public static Command Build()
    {
        var root = new Command("sparselab", "SparseLab: train sparse networks and find out why they fall short of dense ones.");
        root.Options.Add(new System.CommandLine.Help.HelpOption());
        var groups = new Dictionary<string, Command>();
        foreach (var c in Commands)
        {
            var parts = c.Path.Split(' ');
            if (parts.Length == 1)
            {
                root.Subcommands.Add(c.Build());
                continue;
            }
            if (!groups.TryGetValue(parts[0], out var group))
            {
                root.Subcommands.Add(groups[parts[0]] = group = new Command(parts[0], Groups[parts[0]]));
                group.SetAction((Func<System.CommandLine.ParseResult, int>)(_ => throw new InvalidOptionException($"`sparselab {parts[0]}` needs a command: {string.Join(", ", group.Subcommands.Select(c => c.Name))} (see `sparselab {parts[0]} --help`)")));
            }
            group.Subcommands.Add(c.Build());
        }
        return root;
    }
}
