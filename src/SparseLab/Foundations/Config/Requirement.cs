// What an option needs to be used at all (OptionAttribute.Requires, and
// SectionAttribute for every option of a nested record): --momentum only
// matters with --optimizer sgd, --gamma with --lr-schedule step. ConfigSchema
// parses every declaration once and resolves each condition's field from the
// record that declared it outward; the CLI refuses an option the user gave
// whose requirement the final config does not meet, since it would be
// silently ignored. Defaults never trip it: only given options are checked.
using System.Collections;
using System.Globalization;
using System.Text.RegularExpressions;

namespace SparseLab.Foundations;

public enum ConditionKind
{
    /// <summary>Name: true, given, not empty, not 0.</summary>
    Set,
    /// <summary>Name=a|b: one of the values (a list: holds one of them).</summary>
    OneOf,
    /// <summary>Name!=a|b: none of the values.</summary>
    NoneOf,
    /// <summary>Name&gt;X: a number above X.</summary>
    Above,
}

/// <summary>One condition on one field, as declared: <c>Name</c>, <c>Name=a|b</c>, <c>Name!=a|b</c> or <c>Name&gt;X</c>.</summary>
public sealed partial record Condition(string Name, ConditionKind Kind, IReadOnlyList<string> Values, double Threshold)
{
    public static Condition Parse(string text)
    {
        var m = Grammar().Match(text.Trim());
        if (!m.Success) throw new InvalidOperationException($"requirement '{text}': write Name, Name=a|b, Name!=a|b or Name>X (Name a property, e.g. Optimizer or Train.Data.LabelNoise)");
        string name = m.Groups["name"].Value, op = m.Groups["op"].Value, value = m.Groups["value"].Value.Trim();
        if (op.Length == 0) return new(name, ConditionKind.Set, [], 0);
        if (op == ">")
            return double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out double x) && double.IsFinite(x)
                ? new(name, ConditionKind.Above, [], x)
                : throw new InvalidOperationException($"requirement '{text}': '{value}' is not a number");
        var values = value.Split('|', StringSplitOptions.TrimEntries);
        if (values.Any(v => v.Length == 0)) throw new InvalidOperationException($"requirement '{text}' has an empty value");
        return new(name, op == "=" ? ConditionKind.OneOf : ConditionKind.NoneOf, values, 0);
    }

    public bool HoldsFor(object? value) => Kind switch
    {
        ConditionKind.Set => IsSet(value),
        ConditionKind.OneOf => Items(value).Any(Matches),
        ConditionKind.NoneOf => !Items(value).Any(Matches),
        ConditionKind.Above => value is int or long or double && Convert.ToDouble(value, CultureInfo.InvariantCulture) > Threshold,
        _ => throw new InvalidOperationException($"unknown condition {Kind}"),
    };

    /// <summary>The condition in words, the field spelled <paramref name="reference"/>: "--optimizer adam or adamw", "set or rigl in --methods".</summary>
    public string Describe(string reference, ConfigField field) => Kind switch
    {
        ConditionKind.Set => field.IsFlag && field.Option.Negated ? $"no {reference}" : reference,
        ConditionKind.OneOf => field.IsList ? $"{Or(Values)} in {reference}" : $"{reference} {Or(Values)}",
        ConditionKind.NoneOf => field.IsList ? $"no {Or(Values)} in {reference}" : $"{reference} other than {Or(Values)}",
        _ => $"{reference} above {Check.Fmt(Threshold)}",
    };

    /// <summary>Throws when the condition cannot be asked of <paramref name="field"/>: a value it never takes, a number of a field that is none.</summary>
    public void CheckAgainst(ConfigField field)
    {
        if (Kind == ConditionKind.Above && !(field.ValueType == typeof(int) || field.ValueType == typeof(long) || field.ValueType == typeof(double)))
            throw new InvalidOperationException($"'{Name}>{Check.Fmt(Threshold)}': {field.PropertyPath} is not a number");
        foreach (var v in Values)
        {
            if (field.Allowed is { } allowed)
            {
                if (!allowed.Contains(v)) throw new InvalidOperationException($"'{Name}': {field.PropertyPath} never is '{v}'; its values: {allowed.Describe()}");
                continue;
            }
            try
            {
                field.Parse(v);
            }
            catch (ConfigError e)
            {
                throw new InvalidOperationException($"'{Name}': '{v}' is not a value of {field.PropertyPath} ({e.Message})");
            }
        }
    }

    /// <summary>A value matches a name, or its parameterized form: sparsegpt matches sparsegpt:2:4, warmup matches warmup:1.</summary>
    private bool Matches(string value) => Values.Any(v => value == v || value.StartsWith(v + ":", StringComparison.Ordinal));

    private static bool IsSet(object? value) => value switch
    {
        null => false,
        bool b => b,
        string s => s.Length > 0,
        ICollection c => c.Count > 0,
        Duration d => !d.IsZero,
        int or long or double => Convert.ToDouble(value, CultureInfo.InvariantCulture) != 0,
        _ => true,
    };

    private static IEnumerable<string> Items(object? value) => value switch
    {
        null => [],
        string s => [s],
        IEnumerable e => e.Cast<object?>().Select(Text),
        _ => [Text(value)],
    };

    private static string Text(object? value) => value is bool b ? (b ? "true" : "false") : ConfigField.Format(value, DurationUnit.Steps);

    private static string Or(IReadOnlyList<string> values) =>
        values.Count == 1 ? values[0] : $"{string.Join(", ", values.Take(values.Count - 1))} or {values[^1]}";

    [GeneratedRegex(@"^(?<name>[A-Z][A-Za-z0-9]*(?:\.[A-Z][A-Za-z0-9]*)*)(?:(?<op>!=|=|>)(?<value>.*))?$")]
    private static partial Regex Grammar();
}

/// <summary>One alternative of a requirement and the field it resolved to in a schema (null: this config has no such field).</summary>
public sealed record Alternative(Condition Condition, ConfigField? Field);

/// <summary>
/// One declared requirement of a field in one schema: alternatives joined by " or ", at least one of which must hold.
/// <paramref name="Declared"/> names the record property that declared it ("OptimizationConfig.Momentum").
/// </summary>
public sealed record Requirement(string Text, string? Why, string Declared, IReadOnlyList<Alternative> Alternatives)
{
    /// <summary>The alternatives that apply: their field is in the config and <paramref name="settable"/> (not set by the command itself).</summary>
    public IReadOnlyList<Alternative> Applicable(Func<ConfigField, bool>? settable) =>
        [.. Alternatives.Where(a => a.Field is not null && (settable?.Invoke(a.Field) ?? true))];

    /// <summary>Whether <paramref name="root"/> meets it (a requirement with no applicable alternative always is).</summary>
    public bool IsMet(object root, Func<ConfigField, bool>? settable)
    {
        var applicable = Applicable(settable);
        return applicable.Count == 0 || applicable.Any(a => a.Condition.HoldsFor(a.Field!.Get(root)));
    }

    /// <summary>What it asks for, with field references (ConfigError.Field): "--optimizer sgd"; null when nothing applies.</summary>
    public string? Describe(Func<ConfigField, bool>? settable)
    {
        var applicable = Applicable(settable);
        if (applicable.Count == 0) return null;
        return Why ?? string.Join(" or ", applicable.Select(a => a.Condition.Describe(ConfigError.Field(a.Field!.PropertyPath), a.Field)));
    }

    /// <summary>What the fields it asks about hold in <paramref name="root"/>: "it is adam", or "--sparsity is 0, --mask-from is not given".</summary>
    public string State(object root, Func<ConfigField, bool>? settable)
    {
        var fields = Applicable(settable).Select(a => a.Field!).Distinct().ToList();
        string Shown(ConfigField f) => f.Get(root) switch
        {
            null => "not given",
            bool on => on != f.Option.Negated ? "given" : "not given",   // a switch: --no-fisher is given when Fisher is off
            Array { Length: 0 } => "empty",
            var v => f.Display(v),
        };
        return fields is [{ IsFlag: false } only] && Why is null
            ? $"it is {Shown(only)}"
            : string.Join(", ", fields.Select(f => $"{ConfigError.Field(f.PropertyPath)} is {Shown(f)}"));
    }
}
