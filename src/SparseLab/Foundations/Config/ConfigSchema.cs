// The options of a config record type, found by reflection: every property
// with [Option], through nested records (IConfigRecord properties), in
// declaration order. One schema per root type serves the CLI (flags and
// help), YAML keys, config.json, validation of registry names, and the
// canonical string that names run folders (OpenLTH derives its argparse
// flags from its hparams dataclasses the same way).
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
        Walk(root, [], fields, sections);
        Fields = fields;
        Sections = sections;
        _byPropertyPath = fields.ToDictionary(f => f.PropertyPath, StringComparer.Ordinal);
    }

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

    /// <summary>Checks every registry-named value (model, criterion, ...) of <paramref name="root"/>.</summary>
    public void CheckNames(object root)
    {
        foreach (var f in Fields) f.CheckAllowed(root);
    }

    private static void Walk(Type type, PropertyInfo[] prefix, List<ConfigField> fields, List<string> sections)
    {
        foreach (var p in type.GetProperties(BindingFlags.Public | BindingFlags.Instance).OrderBy(p => p.MetadataToken))
        {
            PropertyInfo[] chain = [.. prefix, p];
            if (p.GetCustomAttribute<OptionAttribute>() is { } option)
            {
                fields.Add(new ConfigField(chain, option));
            }
            else if (typeof(IConfigRecord).IsAssignableFrom(p.PropertyType) && p.CanWrite)
            {
                sections.Add(string.Join(".", chain.Select(c => c.Name)));
                Walk(p.PropertyType, chain, fields, sections);
            }
        }
    }
}
