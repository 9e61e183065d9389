// One option of a config record, found by ConfigSchema: where it sits (the
// property path from the root record), how it is spelled (path, flag, hash
// name), how a value is read from text and written canonically, and how a
// copy of the root with a new value is made.
using System.Collections;
using System.Globalization;
using System.Reflection;

namespace SparseLab.Foundations;

public sealed class ConfigField
{
    private readonly PropertyInfo[] _chain;

    internal ConfigField(PropertyInfo[] chain, OptionAttribute option)
    {
        _chain = chain;
        Option = option;
        var leaf = chain[^1];
        PropertyPath = string.Join(".", chain.Select(p => p.Name));
        Path = ConfigError.DottedPath(PropertyPath);
        Flag = option.Flag ?? "--" + Names.Kebab(leaf.Name);
        HashName = option.HashName ?? leaf.Name;
        Hashed = chain.All(p => p.GetCustomAttribute<NotHashedAttribute>() is null);
        Type = leaf.PropertyType;
        ValueType = Nullable.GetUnderlyingType(Type) ?? Type;
        Allowed = option.OneOf is null ? null : NameSet.Of(option.OneOf);
    }

    /// <summary>"Optimization.Lr": how records and ConfigError refer to the field.</summary>
    public string PropertyPath { get; }
    /// <summary>"optimization.lr": the field in library messages and config.json.</summary>
    public string Path { get; }
    public string Flag { get; }
    public string HashName { get; }
    public bool Hashed { get; }
    public OptionAttribute Option { get; }
    public Type Type { get; }
    /// <summary>The type without Nullable.</summary>
    public Type ValueType { get; }
    public NameSet? Allowed { get; }
    /// <summary>What the field's value needs to be used (its own [Option] Requires and its sections'), resolved in its schema.</summary>
    public IReadOnlyList<Requirement> Requirements { get; internal set; } = [];
    public bool IsFlag => ValueType == typeof(bool);
    public bool IsList => ValueType.IsArray;
    private Type ElementType => ValueType.IsArray ? ValueType.GetElementType()! : ValueType;

    /// <summary>The value's name in help: --lr X, --model NAME.</summary>
    public string ValueName => Option.Value ?? (Allowed is not null ? "NAME" : ElementType switch
    {
        var t when t == typeof(int) || t == typeof(long) => "N",
        var t when t == typeof(double) => "X",
        var t when t == typeof(Duration) => "WHEN",
        _ => "VALUE",
    } + (IsList ? "S" : ""));

    public object? Get(object root)
    {
        object? value = root;
        foreach (var p in _chain) value = p.GetValue(value);
        return value;
    }

    /// <summary>A copy of <paramref name="root"/> with this field set (records along the path are copied, never changed).</summary>
    public object With(object root, object? value) => With(root, 0, value);

    private object With(object record, int depth, object? value)
    {
        var copy = Clone(record);
        var p = _chain[depth];
        p.SetValue(copy, depth == _chain.Length - 1 ? value : With(p.GetValue(record)!, depth + 1, value));
        return copy;
    }

    private static object Clone(object record) =>
        record.GetType().GetMethod("<Clone>$")?.Invoke(record, null)
        ?? throw new InvalidOperationException($"{record.GetType().Name} is not a record");

    /// <summary>Reads a value as typed on the command line or in a config file; refuses empty text and names the field.</summary>
    public object? Parse(string text)
    {
        if (string.IsNullOrWhiteSpace(text)) throw ConfigError.Of(PropertyPath, "needs a value; got an empty one");
        if (!IsList) return ParseOne(Option.Verbatim ? text : text.Trim());
        var parts = text.Split(',', StringSplitOptions.TrimEntries);
        if (parts.Any(p => p.Length == 0)) throw ConfigError.Of(PropertyPath, $"'{text}' has an empty item; write a comma-separated list such as {Example}");
        var array = Array.CreateInstance(ElementType, parts.Length);
        for (int i = 0; i < parts.Length; i++) array.SetValue(ParseOne(parts[i]), i);
        return array;
    }

    private string Example => ElementType == typeof(double) ? "0.5,0.9" : ElementType == typeof(Duration) ? "80,120 or 0.5,0.75" : "a,b";

    private object ParseOne(string text)
    {
        var t = ElementType;
        if (t == typeof(string))
        {
            if (Allowed is not null && !Allowed.Contains(text))
                throw ConfigError.Of(PropertyPath, $"'{text}' is not known; use one of: {Allowed.Describe()}");
            return text;
        }
        if (t == typeof(int) && int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out int i)) return i;
        if (t == typeof(long) && long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long l)) return l;
        if (t == typeof(double) && double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double d))
            return double.IsFinite(d) ? d : throw ConfigError.Of(PropertyPath, $"must be a finite number, got '{text}'");
        if (t == typeof(bool) && bool.TryParse(text, out bool b)) return b;
        if (t == typeof(Duration))
            return Duration.TryParse(text, Option.Unit, out var duration, out string problem) ? duration : throw ConfigError.Of(PropertyPath, $"'{text}' {problem}");
        throw ConfigError.Of(PropertyPath, $"must be {Kind(t)}, got '{text}'");
    }

    private static string Kind(Type t) =>
        t == typeof(int) || t == typeof(long) ? "a whole number"
        : t == typeof(double) ? "a number (with a decimal point, e.g. 0.5)"
        : t == typeof(bool) ? "true or false"
        : t.Name;

    /// <summary>Checks a value set in code against the registry (what Parse checks for text).</summary>
    public void CheckAllowed(object root)
    {
        if (Allowed is null) return;
        var value = Get(root);
        foreach (var name in value is string s ? [s] : value is IEnumerable<string> e ? e : [])
            if (!Allowed.Contains(name))
                throw ConfigError.Of(PropertyPath, $"'{name}' is not known; use one of: {Allowed.Describe()}");
    }

    /// <summary>The value as hashed: invariant numbers, lists in brackets, durations in this field's unit.</summary>
    public string Canonical(object? value) => Format(value, Option.Unit);

    /// <summary>The value as help shows a default.</summary>
    public string Display(object? value) => value switch
    {
        null => "none",
        IEnumerable e and not string => string.Join(",", e.Cast<object?>().Select(v => Display(v))),
        bool b => b ? "on" : "off",
        Duration d => d.ToString(),
        _ => Format(value, Option.Unit),
    };

    internal static string Format(object? value, DurationUnit unit) => value switch
    {
        null => "null",
        string s => s,
        double d => d.ToString("R", CultureInfo.InvariantCulture),
        Duration d => d.Canonical(unit),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        IEnumerable e => "[" + string.Join(",", e.Cast<object?>().Select(v => Format(v, unit))) + "]",
        _ => value.ToString() ?? "",
    };
}
