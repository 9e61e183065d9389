// A new user's first commands: `--help` works on every command the CLI registers
// and shows usage and options; `--version` names what SparseLab runs on.
using SparseLab.Cli;

namespace SparseLab.Tests.Cli;

public sealed class HelpTests
{
    public static TheoryData<string> Paths => [.. CommandTree.Paths];

    [Theory]
    [MemberData(nameof(Paths))]
    public void Given_any_command_When_asking_for_help_Then_it_exits_0_with_usage_and_options(string path)
    {
        var r = CliRunner.Run([.. path.Split(' ', StringSplitOptions.RemoveEmptyEntries), "--help"]);
        Assert.True(r.ExitCode == 0, $"exit {r.ExitCode}: {r.Err}");
        Assert.Equal("", r.Err);
        Assert.Contains($"sparselab {path}".Trim(), r.Out);
        Assert.Contains("Usage:", r.Out);
        Assert.Contains("--help", r.Out);
    }

    [Fact]
    public void Given_the_command_list_Then_every_command_is_reachable_and_none_is_missed() =>
        Assert.Equal(25, CommandTree.Commands.Count);

    [Theory]
    [InlineData("study")]
    [InlineData("bench")]
    [InlineData("")]
    public void Given_a_group_without_a_command_Then_exit_2_with_the_commands_it_has(string path)
    {
        var r = CliRunner.Run([.. path.Split(' ', StringSplitOptions.RemoveEmptyEntries)]);
        Assert.Equal(2, r.ExitCode);
        Assert.StartsWith("error: ", r.Err);
        Assert.Contains("needs a command", r.Err);
    }

    [Fact]
    public void Given_version_Then_it_names_sparselab_torchsharp_and_libtorch()
    {
        var r = CliRunner.Run("--version");
        Assert.Equal(0, r.ExitCode);
        Assert.Matches(@"^sparselab \d+\.\d+\.\d+ \(TorchSharp [\d.]+, libtorch [\d.]+, \.NET [\d.]+\)", r.Out);
    }

    [Fact]
    public void Given_an_option_whose_help_holds_brackets_Then_help_shows_it_verbatim()
    {
        var r = CliRunner.Run("train", "--help");
        Assert.Contains("file:PATH[#COLUMN]", r.Out);
        Assert.Contains("in [0, 1)", r.Out);
    }
}
