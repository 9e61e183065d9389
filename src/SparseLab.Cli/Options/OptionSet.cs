// The command-line options of one command, derived from its options record:
// one flag per config field (ConfigSchema), with its help, value name,
// allowed names and default, less the fields the command decides itself.
// Binding starts from the command's defaults, applies a --config YAML file,
// then the flags given (which win), and remembers where each value came from,
// so an error names the flag or the file and key the user actually wrote.
// An option given where its declared requirement is not met (--momentum with
// --optimizer adam) is refused: it would be ignored.
using System.CommandLine;
using System.CommandLine.Parsing;
using SparseLab.Foundations;

namespace SparseLab.Cli.Options;

/// <summary>A bound options record and where each field's value came from (property path → "--lr" or "lr in FILE, line 3").</summary>
public sealed record Bound<T>(T Value, IReadOnlyDictionary<string, string> Sources);

/// <summary>A field the command sets itself, and what to say to someone who gives its flag.</summary>
public sealed record Excluded(string PropertyPath, string Why);

public sealed class OptionSet
{
    private readonly List<(ConfigField Field, Option Option)> _options = [];
    private readonly IReadOnlyList<Excluded> _excluded;
    private readonly object _defaults;
    private readonly HashSet<ConfigField> _settable;

    public OptionSet(Type record, object defaults, IReadOnlyList<Excluded> excluded)
    {
        _excluded = excluded;
        Schema = ConfigSchema.Of(record);
        Fields = [.. Schema.Fields.Where(f => !excluded.Any(e => IsUnder(f.PropertyPath, e.PropertyPath)))];
        var duplicate = Fields.GroupBy(f => f.Flag).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
            throw new InvalidOperationException($"{record.Name}: {duplicate.Key} is declared by {string.Join(" and ", duplicate.Select(f => f.PropertyPath))}");
        _defaults = defaults;
        _settable = [.. Fields];
        foreach (var f in Fields) _options.Add((f, Create(f, Help(f))));
        ConfigOption = new Option<string>("--config")
        {
            Description = "A YAML file of options: keys are the options' names without the dashes (lr: 0.1, batch-size: 64, milestones: [0.5, 0.75], nesterov: true); options on the command line win.",
            HelpName = "FILE",
        };
    }

    public ConfigSchema Schema { get; }
    /// <summary>The fields this command takes as options.</summary>
    public IReadOnlyList<ConfigField> Fields { get; }
    public Option<string> ConfigOption { get; }
    public IEnumerable<Option> Options => _options.Select(o => o.Option).Append(ConfigOption);

    /// <summary>The hint for a flag of a field the command sets itself, or null.</summary>
    public string? WhyExcluded(string flag)
    {
        var field = Schema.Fields.FirstOrDefault(f => f.Flag == flag && !Fields.Contains(f));
        return field is null ? null : _excluded.First(e => IsUnder(field.PropertyPath, e.PropertyPath)).Why;
    }

    public ConfigField? ByFlag(string flag) => Fields.FirstOrDefault(f => f.Flag == flag);

    /// <summary>Defaults, then the --config file, then the flags given; every value checked as it is read.</summary>
    public Bound<T> Bind<T>(ParseResult parsed, T defaults) where T : class
    {
        object value = defaults;
        var sources = new Dictionary<string, string>(StringComparer.Ordinal);
        if (parsed.GetValue(ConfigOption) is { } file)
        {
            foreach (var entry in ConfigFile.Read(file, this))
            {
                sources[entry.Field.PropertyPath] = entry.Source;
                value = Apply(value, entry.Field, entry.Text, sources);
            }
        }
        foreach (var (field, option) in _options)
        {
            var result = parsed.GetResult(option);
            if (result is null || result.Implicit) continue;
            sources[field.PropertyPath] = field.Flag;
            string text = field.IsFlag
                ? (parsed.GetValue((Option<bool>)option) != field.Option.Negated).ToString()
                : result.Tokens.Count == 0 ? "" : result.Tokens[0].Value;
            value = Apply(value, field, text, sources);
        }
        return new Bound<T>((T)value, sources);
    }

    /// <summary>
    /// Refuses a field given (on the command line or in the config file) whose declared requirement the options as the command
    /// will run them (a preset's and a task's recipe applied) do not meet: "--momentum needs --optimizer sgd (it is adam)".
    /// Conditions on the fields the command sets itself are the command's own business.
    /// </summary>
    /// <exception cref="ConfigError">The first such field; render it with <see cref="Render"/>.</exception>
    public void CheckRequirements(object options, IReadOnlyDictionary<string, string> sources)
    {
        if (Schema.Unmet(options, sources.Keys, _settable.Contains) is { } error) throw error;
    }

    /// <summary>
    /// <paramref name="preset"/> under the values given: every field of the record at <paramref name="section"/> that the
    /// user did not give (on the command line or in the config file) takes the preset's value.
    /// </summary>
    public static TRecord Underlay<TRecord>(TRecord preset, TRecord given, IReadOnlyDictionary<string, string> sources, string section) where TRecord : notnull
    {
        object value = preset;
        foreach (var f in ConfigSchema.Of(typeof(TRecord)).Fields)
            if (sources.ContainsKey($"{section}.{f.PropertyPath}")) value = f.With(value, f.Get(given));
        return (TRecord)value;
    }

    /// <summary>The file or folder option whose path (or a folder inside it) an I/O error message names, to report it by its flag.</summary>
    public (string Flag, string Value)? PathOption(object options, string message)
    {
        var named = System.Text.RegularExpressions.Regex.Matches(message, "'([^']+)'").Select(m => m.Groups[1].Value).ToList();
        foreach (var f in Fields.Where(f => f.Option.IsPath))
            if (f.Get(options) is string value && value.Length > 0
                && named.Any(p => p.StartsWith(value, StringComparison.Ordinal) || value.StartsWith(p, StringComparison.Ordinal)))
                return (f.Flag, value);
        return null;
    }

    /// <summary>A library error with every field it names spelled as the user gave it (a flag, or a key in the config file).</summary>
    public string Render(ConfigError error, IReadOnlyDictionary<string, string> sources) => error.Render(reference =>
    {
        var field = Resolve(reference);
        return field is null ? ConfigError.DottedPath(reference) : sources.GetValueOrDefault(field.PropertyPath) ?? field.Flag;
    });

    private ConfigField? Resolve(string reference) =>
        Fields.FirstOrDefault(f => f.PropertyPath == reference)
        ?? (Fields.Where(f => f.PropertyPath.EndsWith("." + reference, StringComparison.Ordinal)).ToList() is [var only] ? only : null);

    private object Apply(object record, ConfigField field, string text, IReadOnlyDictionary<string, string> sources)
    {
        try
        {
            return field.With(record, Absolute(field, field.Parse(text)));
        }
        catch (ConfigError e)
        {
            throw new InvalidOptionException(Render(e, sources));
        }
    }

    /// <summary>Paths made absolute (RUN:NAME keeps its :NAME, file:PATH#COLUMN its prefix and column), so the saved config means the same from any folder.</summary>
    private static object? Absolute(ConfigField f, object? value)
    {
        if (value is not string s || !(f.Option.IsPath || f.Option.Reference != ReferenceKind.None)) return value;
        return f.Option.Reference == ReferenceKind.Prefixed ? ArtifactIdentity.Spell(s, ReferenceKind.Prefixed, FullRef) : FullRef(s);
    }

    private static string FullRef(string text)
    {
        int colon = text.LastIndexOf(':');
        return colon > 0 && !File.Exists(text) && !Directory.Exists(text)
            ? Path.GetFullPath(text[..colon]) + text[colon..]
            : Path.GetFullPath(text);
    }

    /// <summary>A field's help: its declaration's text, the names its registry allows, this command's default, and what it needs.</summary>
    public string Help(ConfigField f)
    {
        string help = f.Option.Help;
        if (f.Allowed is not null) help += $" One of: {f.Allowed.Describe()}.";
        var defaultValue = f.Get(_defaults);
        if (!f.IsFlag && defaultValue is not null && !(defaultValue is Array { Length: 0 })) help += $" Default: {f.Display(defaultValue)}.";
        var needs = f.Requirements.Select(r => r.Describe(_settable.Contains)).OfType<string>().ToList();
        if (needs.Count > 0) help += $" Needs {Render(new ConfigError(string.Join(", and ", needs)), new Dictionary<string, string>())}.";
        return help;
    }

    private static Option Create(ConfigField f, string help) => f.IsFlag
        ? new Option<bool>(f.Flag) { Description = help }
        : new Option<string>(f.Flag) { Description = help, HelpName = f.ValueName };

    private static bool IsUnder(string path, string prefix) =>
        path == prefix || path.StartsWith(prefix + ".", StringComparison.Ordinal);
}
