// A config record as JSON (config.json): one object per nested record, keys
// in snake case, durations as text ("80ep", "100it", "0.5"). Reading also
// accepts the flat form run folders were written in before the config was
// split by concept (every field at the top under its hash name), so older
// runs still open, resume and compare.
using System.Text.Json;
using System.Text.Json.Nodes;

namespace SparseLab.Foundations;

public static class ConfigJson
{
    public static JsonObject Write(object config)
    {
        var root = new JsonObject();
        foreach (var f in ConfigSchema.Of(config.GetType()).Fields)
        {
            var value = f.Get(config);
            if (value is null) continue;
            var parts = f.Path.Split('.');
            var node = root;
            foreach (var part in parts[..^1])
            {
                if (node[part] is not JsonObject child) node[part] = child = [];
                node = child;
            }
            node[parts[^1]] = ToNode(value);
        }
        return root;
    }

    /// <summary>Reads either form; fields absent from the JSON keep their defaults.</summary>
    public static T Read<T>(JsonNode node) where T : notnull, new()
    {
        var schema = ConfigSchema.Of<T>();
        if (node is not JsonObject root) throw new JsonException("expected a JSON object");
        bool nested = schema.Sections.Any(s => root[Names.Snake(s.Split('.')[0])] is JsonObject);
        object config = new T();
        foreach (var f in schema.Fields)
        {
            var value = nested ? At(root, f.Path) : root[Names.Snake(f.HashName)];
            if (value is null) continue;
            config = f.With(config, FromNode(f, value));
        }
        return (T)config;
    }

    private static JsonNode? At(JsonObject root, string path)
    {
        JsonNode? node = root;
        foreach (var part in path.Split('.')) node = (node as JsonObject)?[part];
        return node;
    }

    private static JsonNode? ToNode(object value) => value switch
    {
        Duration d => JsonValue.Create(d.ToString()),
        Duration[] list => new JsonArray([.. list.Select(d => (JsonNode?)JsonValue.Create(d.ToString()))]),
        _ => JsonSerializer.SerializeToNode(value, value.GetType(), Json.Options),
    };

    private static object? FromNode(ConfigField f, JsonNode node)
    {
        var t = f.ValueType;
        if (t == typeof(Duration)) return ReadDuration(f, node);
        if (t == typeof(Duration[])) return node.AsArray().Select(n => ReadDuration(f, n!)).ToArray();
        return node.Deserialize(f.Type, Json.Options);
    }

    // The flat form wrote durations as plain numbers in the field's own unit.
    private static Duration ReadDuration(ConfigField f, JsonNode node) =>
        node.GetValueKind() == JsonValueKind.Number
            ? new Duration(node.GetValue<double>(), f.Option.Unit == DurationUnit.Fraction ? DurationUnit.Fraction : f.Option.Unit)
            : Duration.TryParse(node.GetValue<string>(), DurationUnit.Fraction, out var d, out string problem)
                ? d : throw new JsonException($"{f.Path}: '{node}' {problem}");
}
