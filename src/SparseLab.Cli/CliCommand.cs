// A command of `sparselab`: its path ("study gap"), what it does, examples,
// its options record (one declaration per option: the record's fields), the
// fields it sets itself, how a preset or a task's recipe completes the bound
// options, and what it does with them. An option given where its declared
// requirement is not met is refused before anything runs; every ConfigError
// the library raises while it runs is shown with the flags (or config-file
// keys) the user gave.
using System.CommandLine;
using SparseLab.Cli.Options;
using SparseLab.Foundations;

namespace SparseLab.Cli;

public interface ICliCommand
{
    /// <summary>"train", "study gap".</summary>
    string Path { get; }
    string Description { get; }
    Command Build();
}

/// <summary>A command with example command lines (without the leading "sparselab").</summary>
public interface IHasExamples
{
    IReadOnlyList<string> Examples { get; }
}

/// <summary>A command whose one value may be given without its flag (run-config FILE): the first bare word after the command.</summary>
public interface IHasPositional
{
    string PositionalFlag { get; }
}

/// <summary>A command whose options come from an options record.</summary>
public interface IHasOptions
{
    OptionSet OptionSet { get; }
}

public abstract class CliCommand<T> : ICliCommand, IHasOptions, IHasExamples where T : class
{
    public abstract string Path { get; }
    public abstract string Description { get; }
    /// <summary>Example command lines, without the leading "sparselab".</summary>
    public virtual IReadOnlyList<string> Examples => [];

    /// <summary>The options before any flag is read.</summary>
    protected abstract T Defaults { get; }

    /// <summary>Fields of the record the command sets itself: no flag, and a hint for whoever gives one.</summary>
    protected virtual IReadOnlyList<Excluded> Excluded => [];

    /// <summary>The defaults to bind over once the flags are parsed (a --preset picks other defaults).</summary>
    protected virtual T DefaultsFor(System.CommandLine.ParseResult parsed, OptionSet options) => Defaults;

    /// <summary>The options as the command runs them: a preset's or a task's recipe beneath the options given.</summary>
    protected virtual T Complete(Bound<T> bound) => bound.Value;

    /// <summary>Runs the command with its completed options (<see cref="Complete"/>), every option given used.</summary>
    protected abstract int Execute(Bound<T> options);

    private OptionSet? _options;
    public OptionSet OptionSet => _options ??= new OptionSet(typeof(T), Defaults, Excluded);

    /// <summary>The options <paramref name="args"/> (this command's flags only) bind to, without running anything.</summary>
    public Bound<T> Parse(params string[] args)
    {
        var command = new Command(Path.Split(' ')[^1]);
        foreach (var option in OptionSet.Options) command.Options.Add(option);
        var parsed = command.Parse(args);
        if (parsed.Errors.Count > 0) throw new InvalidOptionException(parsed.Errors[0].Message);
        return OptionSet.Bind(parsed, DefaultsFor(parsed, OptionSet));
    }

    /// <summary>The options <paramref name="args"/> bind to, completed and checked as the command would run them, without running anything.</summary>
    /// <exception cref="ConfigError">An option given where its declared requirement is not met.</exception>
    public Bound<T> Resolve(params string[] args) => Completed(Parse(args));

    /// <summary>The bound options completed (<see cref="Complete"/>), every option given checked against its requirements.</summary>
    private Bound<T> Completed(Bound<T> bound)
    {
        bound = bound with { Value = Complete(bound) };
        OptionSet.CheckRequirements(bound.Value, bound.Sources);
        return bound;
    }

    public Command Build()
    {
        string text = Description;
        if (Examples.Count > 0) text += "\n\nExamples:\n" + string.Join("\n", Examples.Select(e => "  sparselab " + e));
        var command = new Command(Path.Split(' ')[^1], text);
        foreach (var option in OptionSet.Options) command.Options.Add(option);
        command.SetAction(parsed =>
        {
            var bound = OptionSet.Bind(parsed, DefaultsFor(parsed, OptionSet));
            try
            {
                bound = Completed(bound);
                return Execute(bound);
            }
            catch (ConfigError e)
            {
                throw new SparseLabException(OptionSet.Render(e, bound.Sources), e.ExitCode);
            }
            catch (OutputWriteException e) when (OptionSet.PathOption(bound.Value, $"'{e.Target}'") is { } path)
            {
                string what = System.IO.Path.GetFullPath(e.Target) == System.IO.Path.GetFullPath(path.Value) ? "" : $" ('{e.Target}')";
                string hint = e.SystemFailure ? "; check that its folder exists and is writable and that the disk has space" : "";
                throw new SparseLabException($"{path.Flag} '{path.Value}' cannot be written{what}: {e.Reason}{hint}", inner: e);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException && OptionSet.PathOption(bound.Value, e.Message) is { } path)
            {
                throw new SparseLabException($"{path.Flag} '{path.Value}' cannot be written or read: {e.Message}", inner: e);
            }
        });
        return command;
    }
}
