// The options of a config record type, found by reflection: every property
// with [Option], through nested records (IConfigRecord properties), in
// declaration order. One schema per root type serves the CLI (flags and
// help), YAML keys, config.json, validation of registry names, and the
// canonical string that names run folders (OpenLTH derives its argparse
// flags from its hparams dataclasses the same way), and the requirements
// that refuse an option given where it would be ignored.
using System.Collections.Concurrent;
using System.Reflection;

namespace SparseLab.Foundations;

public sealed class ConfigSchema
{
    private static readonly ConcurrentDictionary<Type, ConfigSchema> Cache = new();
    private readonly Dictionary<string, ConfigField> _byPropertyPath;

    private ConfigSchema(Type root)
    {
        Root = root;
        var fields = new List<ConfigField>();
        var sections = new List<string>();
        var declared = new Dictionary<ConfigField, List<Declared>>();
        Walk(root, [], [], fields, sections, declared);
        Fields = fields;
        Sections = sections;
        _byPropertyPath = fields.ToDictionary(f => f.PropertyPath, StringComparer.Ordinal);
        foreach (var (field, requirements) in declared) field.Requirements = [.. requirements.SelectMany(RequirementsOf)];
    }

    /// <summary>Requirements as a record declares them: their texts, the words for them, and the record's property path (where names resolve from).</summary>
    private sealed record Declared(string[] Texts, string? Why, string[] Scope, string Where);

    public static ConfigSchema Of(Type root) => Cache.GetOrAdd(root, t => new ConfigSchema(t));
    public static ConfigSchema Of<T>() => Of(typeof(T));

    public Type Root { get; }
    public IReadOnlyList<ConfigField> Fields { get; }
    /// <summary>Property paths of the nested records ("Optimization", "Train.Data").</summary>
    public IReadOnlyList<string> Sections { get; }

    public ConfigField? Find(string propertyPath) => _byPropertyPath.GetValueOrDefault(propertyPath);

    /// <summary>The field a ConfigError reference names: its exact path, else the one field whose path ends with it.</summary>
    public ConfigField? Resolve(string reference)
    {
        if (Find(reference) is { } exact) return exact;
        var tail = Fields.Where(f => f.PropertyPath.EndsWith("." + reference, StringComparison.Ordinal)).ToList();
        return tail.Count == 1 ? tail[0] : null;
    }

    /// <summary>
    /// The first field given (<paramref name="given"/>: property paths) whose requirement <paramref name="root"/> does not meet,
    /// as the error to show ("--momentum needs --optimizer sgd (it is adam)"); null when every field given is used. A condition
    /// on a field <paramref name="settable"/> refuses (one the command sets itself) does not apply.
    /// </summary>
    public ConfigError? Unmet(object root, IEnumerable<string> given, Func<ConfigField, bool>? settable = null)
    {
        var wanted = given.ToHashSet(StringComparer.Ordinal);
        foreach (var f in Fields.Where(f => wanted.Contains(f.PropertyPath)))
            foreach (var r in f.Requirements.Where(r => !r.IsMet(root, settable)))
            {
                string state = r.State(root, settable);
                return new ConfigError($"{ConfigError.Field(f.PropertyPath)} needs {r.Describe(settable)}" + (state.Length > 0 ? $" ({state})" : ""));
            }
        return null;
    }

    /// <summary>Checks every registry-named value (model, criterion, ...) of <paramref name="root"/>.</summary>
    public void CheckNames(object root)
    {
        foreach (var f in Fields) f.CheckAllowed(root);
    }

    private static void Walk(Type type, PropertyInfo[] prefix, Declared[] around, List<ConfigField> fields, List<string> sections,
        Dictionary<ConfigField, List<Declared>> declared)
    {
        string[] scope = [.. prefix.Select(p => p.Name)];
        foreach (var p in type.GetProperties(BindingFlags.Public | BindingFlags.Instance).OrderBy(p => p.MetadataToken))
        {
            PropertyInfo[] chain = [.. prefix, p];
            if (p.GetCustomAttribute<OptionAttribute>() is { } option)
            {
                var field = new ConfigField(chain, option);
                fields.Add(field);
                declared[field] = [.. around, new Declared(option.Requires, option.RequiresWhy, scope, $"{type.Name}.{p.Name}")];
            }
            else if (typeof(IConfigRecord).IsAssignableFrom(p.PropertyType) && p.CanWrite)
            {
                sections.Add(string.Join(".", chain.Select(c => c.Name)));
                var section = p.GetCustomAttribute<SectionAttribute>();
                Declared[] inner = section is null ? around : [.. around, new Declared(section.Requires, section.RequiresWhy, scope, $"{type.Name}.{p.Name}")];
                Walk(p.PropertyType, chain, inner, fields, sections, declared);
            }
        }
    }

    /// <summary>Each declared text as a requirement of this schema: every alternative's field found from the declaring record outward.</summary>
    private IEnumerable<Requirement> RequirementsOf(Declared d) => d.Texts.Select(text =>
    {
        var alternatives = new List<Alternative>();
        foreach (var part in text.Split(" or ", StringSplitOptions.TrimEntries))
        {
            Condition condition;
            try
            {
                condition = Condition.Parse(part);
            }
            catch (InvalidOperationException e)
            {
                throw new InvalidOperationException($"{d.Where}: {e.Message}", e);
            }
            var field = Enumerable.Range(0, d.Scope.Length + 1).Reverse()
                .Select(k => Find(string.Join(".", d.Scope.Take(k).Append(condition.Name)))).FirstOrDefault(f => f is not null);
            if (field is not null)
            {
                try
                {
                    condition.CheckAgainst(field);
                }
                catch (InvalidOperationException e)
                {
                    throw new InvalidOperationException($"{d.Where}: requirement '{text}': {e.Message}", e);
                }
            }
            alternatives.Add(new Alternative(condition, field));
        }
        return new Requirement(text, d.Why, d.Where, alternatives);
    });
}
