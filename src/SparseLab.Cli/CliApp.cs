// Runs `sparselab ARGS`: builds the command tree, turns parse errors into one
// `error:` line naming the option (exit 2), and every other failure into one
// `error:` line with exit code 2 (bad options) or 1 (anything else).
using System.CommandLine;
using System.CommandLine.Invocation;
using System.CommandLine.Parsing;
using SparseLab.Foundations;

namespace SparseLab.Cli;

public static class CliApp
{
    public static int Run(string[] args, TextWriter? stdout = null, TextWriter? stderr = null)
    {
        var err = stderr ?? Console.Error;
        var output = stdout ?? Console.Out;
        bool verbose = args.Contains("--verbose");
        args = WithPositional([.. args.Where(a => a != "--verbose")]);
        var (previousOut, previousError) = (Console.Out, Console.Error);
        if (stdout is not null) Console.SetOut(stdout);
        if (stderr is not null) Console.SetError(stderr);
        try
        {
            var root = CommandTree.Build();
            var version = new Option<bool>("--version") { Description = "Show SparseLab's version and the TorchSharp, libtorch and .NET it runs on." };
            root.Options.Add(version);
            root.SetAction((Func<ParseResult, int>)(parsed =>
            {
                if (!parsed.GetValue(version))
                    throw new InvalidOptionException($"`sparselab` needs a command: {string.Join(", ", root.Subcommands.Select(c => c.Name))} (see `sparselab --help`)");
                output.WriteLine(VersionLine);
                return 0;
            }));
            var parsed = root.Parse(args);
            if (parsed.Action is ParseErrorAction)
            {
                err.WriteLine($"error: {ParseErrorText(parsed)}");
                return 2;
            }
            return parsed.Invoke(new InvocationConfiguration { Output = output, Error = err, EnableDefaultExceptionHandler = false });
        }
        catch (SparseLabException e)
        {
            Report(err, e, e.Message, verbose);
            return e.ExitCode;
        }
        catch (Exception e) when (e is TypeInitializationException or DllNotFoundException or NotSupportedException && e.ToString().Contains("LibTorchSharp"))
        {
            Report(err, e, "libtorch could not be loaded; rebuild with ./sparselab (it patches TorchSharp for this system) and run with --verbose for details", verbose);
            return 1;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            Report(err, e, $"{OneLine(e.Message)} (a file could not be written or read: check the path, its permissions and the free space)", verbose);
            return 1;
        }
        catch (Exception e)
        {
            Report(err, e, $"unexpected failure: {OneLine(e.Message)} (run with --verbose for the stack trace)", verbose);
            return 1;
        }
        finally
        {
            if (stdout is not null) Console.SetOut(previousOut);
            if (stderr is not null) Console.SetError(previousError);
        }
    }

    /// <summary>`run-config FILE` → `run-config --file FILE`: a command's bare value gets its flag (IHasPositional).</summary>
    private static string[] WithPositional(string[] args)
    {
        foreach (var c in CommandTree.Commands.OfType<IHasPositional>())
        {
            var path = ((ICliCommand)c).Path.Split(' ');
            int n = path.Length;
            if (args.Length > n && args.Take(n).SequenceEqual(path) && !args[n].StartsWith('-'))
                return [.. args.Take(n), c.PositionalFlag, .. args.Skip(n)];
        }
        return args;
    }

    /// <summary>One line for the first parse error: an unknown option or argument, a missing command or value.</summary>
    private static string ParseErrorText(ParseResult parsed)
    {
        var command = parsed.CommandResult.Command;
        string where = CommandPath(parsed.CommandResult);
        string self = where.Length > 0 ? $"sparselab {where}" : "sparselab";
        string help = $"see `{self} --help`";
        if (parsed.UnmatchedTokens.Count > 0)
        {
            string token = parsed.UnmatchedTokens[0];
            if (token.StartsWith('-'))
            {
                string flag = token.Split('=')[0];
                var cli = CommandTree.Commands.FirstOrDefault(c => c.Path == where) as IHasOptions;
                if (cli?.OptionSet.WhyExcluded(flag) is { } why) return $"{flag} does not apply to `{self}`: {why}";
                var close = command.Options.Select(o => o.Name).OrderBy(n => Options.ConfigFile.Distance(n, flag)).FirstOrDefault();
                string suggestion = close is not null && Options.ConfigFile.Distance(close, flag) <= Math.Max(1, flag.Length / 4) ? $"; did you mean {close}?" : "";
                return $"unknown option '{flag}' for `{self}`{suggestion} ({help})";
            }
            int at = parsed.Tokens.ToList().FindIndex(t => t.Value == token);
            if (at > 0 && command.Options.FirstOrDefault(o => o.Name == parsed.Tokens[at - 1].Value) is Option<bool> flagBefore)
                return $"{flagBefore.Name} is a switch: give it alone, or with true or false, not '{token}'";
            var names = command.Subcommands.Select(c => c.Name).ToList();
            return names.Count > 0
                ? $"unknown command '{token}' for `{self}`; use one of: {string.Join(", ", names)} ({help})"
                : $"unexpected argument '{token}' for `{self}`: options start with -- ({help})";
        }
        var error = parsed.Errors[0];
        if (error.SymbolResult is OptionResult option)
        {
            string name = option.Option.Name;
            return option.Tokens.Count switch
            {
                0 => $"{name} needs a value ({help})",
                1 when option.Option is Option<bool> => $"{name} is a switch: give it alone, or with true or false, not '{option.Tokens[0].Value}'",
                1 => $"{name} '{option.Tokens[0].Value}': {OneLine(error.Message)}",
                _ => $"{name} is given {option.Tokens.Count} times; give it once",
            };
        }
        if (command.Subcommands.Count > 0)
            return $"`{self}` needs a command: {string.Join(", ", command.Subcommands.Select(c => c.Name))} ({help})";
        return $"{OneLine(error.Message)} ({help})";
    }

    private static string CommandPath(CommandResult result)
    {
        var names = new List<string>();
        for (SymbolResult? r = result; r is CommandResult c && c.Parent is not null; r = r.Parent) names.Insert(0, c.Command.Name);
        return string.Join(" ", names);
    }

    private static void Report(TextWriter err, Exception e, string message, bool verbose)
    {
        err.WriteLine($"error: {message}");
        if (verbose) err.WriteLine(e.ToString());
    }

    private static string OneLine(string s) => string.Join(" ", s.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Trim()));

    /// <summary>"sparselab 0.1.0 (TorchSharp 0.107.0.0, libtorch 2.10.0, .NET 10.0.12)".</summary>
    public static string VersionLine =>
        $"sparselab {typeof(CliApp).Assembly.GetName().Version?.ToString(3) ?? "unknown"} " +
        $"(TorchSharp {TorchRuntime.TorchSharpVersion}, libtorch {TorchRuntime.LibTorchVersion}, {System.Runtime.InteropServices.RuntimeInformation.FrameworkDescription})";
}
