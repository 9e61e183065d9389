// A config value the library refuses, naming the fields involved. The message
// is a template whose field references are resolved when it is shown: the
// library spells them as record paths (optimization.lr), the CLI as the flag
// or config-file key the value came from (--lr). A record validates its own
// fields; its parent prefixes their paths (Within), so the reference is
// always complete at the top.
using System.Text;
using System.Text.RegularExpressions;

namespace SparseLab.Foundations;

public sealed partial class ConfigError(string template, int exitCode = 2) : InvalidOptionException(Render(template, DottedPath), exitCode)
{
    private const char Open = '\uE000', Close = '\uE001';

    /// <summary>The message with field references as <c>\uE000Property.Path\uE001</c>.</summary>
    public string Template { get; } = template;

    /// <summary>A reference to a field by its property path ("Lr", or "Optimization.Lr" from the parent).</summary>
    public static string Field(string propertyPath) => $"{Open}{propertyPath}{Close}";

    /// <summary>"{field} {problem}" for one field.</summary>
    public static ConfigError Of(string propertyPath, string problem) => new($"{Field(propertyPath)} {problem}");

    /// <summary>The same error seen from the record that holds this one as property <paramref name="section"/>.</summary>
    public ConfigError Within(string section) => Map(path => $"{section}.{path}");

    /// <summary>The same error with every field reference rewritten by <paramref name="path"/>.</summary>
    public ConfigError Map(Func<string, string> path) =>
        new(FieldReference().Replace(Template, m => Field(path(m.Groups[1].Value))), ExitCode);

    /// <summary>The property paths the message refers to, in order.</summary>
    public IReadOnlyList<string> Fields => [.. FieldReference().Matches(Template).Select(m => m.Groups[1].Value)];

    /// <summary>The message with every field reference spelled by <paramref name="name"/>.</summary>
    public string Render(Func<string, string> name) => Render(Template, name);

    private static string Render(string template, Func<string, string> name) =>
        FieldReference().Replace(template, m => name(m.Groups[1].Value));

    /// <summary>Optimization.WeightDecay → optimization.weight_decay.</summary>
    public static string DottedPath(string propertyPath) =>
        string.Join(".", propertyPath.Split('.').Select(Names.Snake));

    [GeneratedRegex("\uE000([^\uE001]*)\uE001")]
    private static partial Regex FieldReference();
}

/// <summary>Spellings of a property name.</summary>
public static class Names
{
    /// <summary>LimitTrain → limit_train, Beta1 → beta1.</summary>
    public static string Snake(string name) => Separated(name, '_');

    /// <summary>LimitTrain → limit-train.</summary>
    public static string Kebab(string name) => Separated(name, '-');

    private static string Separated(string name, char separator)
    {
        var b = new StringBuilder();
        for (int i = 0; i < name.Length; i++)
        {
            char c = name[i];
            if (char.IsUpper(c) && i > 0) b.Append(separator);
            b.Append(char.ToLowerInvariant(c));
        }
        return b.ToString();
    }
}
