// The documentation of the CLI cannot drift from its declarations: docs/cli.md
// is generated from them, and every flag the README mentions exists.
using System.Text.RegularExpressions;
using SparseLab.Cli;

namespace SparseLab.Tests.Cli;

public sealed partial class CliReferenceTests
{
    internal static string Root
    {
        get
        {
            var dir = new DirectoryInfo(AppContext.BaseDirectory);
            while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "SparseLab.sln"))) dir = dir.Parent;
            return dir?.FullName ?? throw new InvalidOperationException("the repository root (SparseLab.sln) was not found");
        }
    }

    [Fact]
    public void Given_the_declarations_Then_docs_cli_md_is_what_they_generate()
    {
        string file = Path.Combine(Root, "docs", "cli.md");
        string expected = CliReference.Markdown();
        if (Environment.GetEnvironmentVariable("SPARSELAB_WRITE_CLI_REFERENCE") == "1") File.WriteAllText(file, expected);
        Assert.True(File.Exists(file) && File.ReadAllText(file) == expected,
            "docs/cli.md is out of date; regenerate it: SPARSELAB_WRITE_CLI_REFERENCE=1 ./test.sh --filter CliReference");
    }

    [Fact]
    public void Given_the_readme_Then_every_flag_it_mentions_is_an_option_of_some_command()
    {
        var known = CommandTree.Commands.OfType<IHasOptions>().SelectMany(c => c.OptionSet.Fields.Select(f => f.Flag))
            .Concat(["--help", "--version", "--verbose", "--config", "--fast", "--filter"])
            .Concat(["--logdir", "--project"])   // tensorboard's and dotnet's own
            .Concat(["--array", "--dependency", "--gres", "--qos", "--account"])   // sbatch's own
            .ToHashSet();
        var unknown = Flag().Matches(File.ReadAllText(Path.Combine(Root, "README.md"))).Select(m => m.Value).Distinct().Where(f => !known.Contains(f)).ToList();
        Assert.True(unknown.Count == 0, $"README.md mentions flags no command has: {string.Join(", ", unknown)}");
    }

    [GeneratedRegex(@"(?<![\w-])--[a-z][a-z0-9-]*")]
    private static partial Regex Flag();
}
