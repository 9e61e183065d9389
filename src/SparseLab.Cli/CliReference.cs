// The CLI reference (docs/cli.md), made from the same declarations as --help:
// every command with its description, examples and options. A test checks
// that the file in the repository matches; SPARSELAB_WRITE_CLI_REFERENCE=1
// makes that test write it.
using System.Text;

namespace SparseLab.Cli;

public static class CliReference
{
    public static string Markdown()
    {
        var b = new StringBuilder();
        b.Append("# SparseLab CLI reference\n\n");
        b.Append("Generated from the option declarations (the config records' `[Option]` fields): the same text `--help` shows. ");
        b.Append("Every command also takes `--config FILE.yaml` (keys are the options without the dashes; the command line wins), ");
        b.Append("`--verbose` (stack traces on errors) and `--help`; `sparselab --version` prints the versions. ");
        b.Append("Durations (marked WHEN) are epochs (`80ep`), optimizer steps (`500it`) or a fraction of the run (`0.5`); a bare whole number counts in the option's own unit.\n\n");
        foreach (var group in CommandTree.Groups) b.Append($"- `sparselab {group.Key}`: {group.Value}\n");
        b.Append('\n');
        foreach (var command in CommandTree.Commands.OfType<IHasOptions>().Cast<ICliCommand>())
        {
            b.Append($"## sparselab {command.Path}\n\n{command.Description}\n\n");
            if (command is IHasExamples { Examples.Count: > 0 } e)
            {
                b.Append("```sh\n");
                foreach (var x in e.Examples) b.Append($"./sparselab {x}\n");
                b.Append("```\n\n");
            }
            var options = ((IHasOptions)command).OptionSet;
            b.Append("| option | meaning |\n|---|---|\n");
            foreach (var f in options.Fields)
                b.Append($"| `{f.Flag}{(f.IsFlag ? "" : " " + f.ValueName)}` | {options.Help(f).Replace("|", "\\|")} |\n");
            b.Append('\n');
        }
        return b.ToString();
    }
}
