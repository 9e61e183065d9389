// --config FILE.yaml: a mapping of option names (without the dashes; _ or -)
// to values: scalars, lists (joined with commas) or booleans for flags. Every
// key must be an option of the command, given once; every problem is named by
// file, key and line.
using SparseLab.Foundations;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace SparseLab.Cli.Options;

public sealed record ConfigEntry(ConfigField Field, string Text, string Source);

public static class ConfigFile
{
    public static IReadOnlyList<ConfigEntry> Read(string path, OptionSet options)
    {
        if (string.IsNullOrWhiteSpace(path)) throw new InvalidOptionException("--config needs a file: --config FILE.yaml");
        if (Directory.Exists(path)) throw new InvalidOptionException($"--config '{path}' is a folder; give a YAML file");
        if (!File.Exists(path)) throw new InvalidOptionException($"--config '{path}': the file does not exist");
        var yaml = new YamlStream();
        try
        {
            using var reader = new StreamReader(path);
            yaml.Load(reader);
        }
        catch (YamlException e)
        {
            string problem = (e.InnerException ?? e).Message.Replace('\n', ' ');
            throw new InvalidOptionException($"--config '{path}': not valid YAML at line {e.Start.Line}: {problem}");
        }
        if (yaml.Documents.Count == 0) return [];
        if (yaml.Documents.Count > 1) throw new InvalidOptionException($"--config '{path}' holds {yaml.Documents.Count} YAML documents; give one mapping of options");
        if (yaml.Documents[0].RootNode is not YamlMappingNode root)
            throw new InvalidOptionException($"--config '{path}': expected a mapping of option names to values (e.g. `epochs: 15`)");

        var entries = new List<ConfigEntry>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (keyNode, valueNode) in root.Children)
        {
            string key = (keyNode as YamlScalarNode)?.Value ?? "";
            string where = $"--config '{path}', line {keyNode.Start.Line}";
            string flag = "--" + key.Replace('_', '-');
            var field = options.ByFlag(flag);
            if (field is null)
            {
                string why = options.WhyExcluded(flag) is { } hint ? $"this command sets it itself ({hint})"
                    : $"this command has no option {flag}{Suggest(flag, options)}";
                throw new InvalidOptionException($"{where}: unknown key '{key}': {why}");
            }
            if (!seen.Add(field.PropertyPath)) throw new InvalidOptionException($"{where}: key '{key}' is given twice");
            string source = $"{key} in '{path}' (line {keyNode.Start.Line})";
            entries.Add(new ConfigEntry(field, Text(valueNode, field, where, key), source));
        }
        return entries;
    }

    private static string Text(YamlNode node, ConfigField field, string where, string key) => node switch
    {
        YamlScalarNode { Value: null or "" } or YamlScalarNode { Value: "~" or "null" } =>
            throw new InvalidOptionException($"{where}: '{key}' has no value; give one or drop the key"),
        YamlScalarNode s when field.IsFlag =>
            s.Value is "true" or "True" or "yes" or "on" ? (!field.Option.Negated).ToString()
            : s.Value is "false" or "False" or "no" or "off" ? field.Option.Negated.ToString()
            : throw new InvalidOptionException($"{where}: '{key}' is a switch; use true or false, not '{s.Value}'"),
        YamlScalarNode s => s.Value!,
        YamlSequenceNode seq when field.IsList && seq.Children.All(c => c is YamlScalarNode) =>
            string.Join(",", seq.Children.Select(c => ((YamlScalarNode)c).Value)),
        YamlSequenceNode => throw new InvalidOptionException($"{where}: '{key}' takes one value, not a list"),
        _ => throw new InvalidOptionException($"{where}: the value of '{key}' must be a value or a list of values"),
    };

    private static string Suggest(string flag, OptionSet options)
    {
        var close = options.Fields.Select(f => f.Flag).OrderBy(f => Distance(f, flag)).FirstOrDefault();
        return close is not null && Distance(close, flag) <= Math.Max(1, flag.Length / 4) ? $" (did you mean {close[2..]}?)" : "";
    }

    /// <summary>Levenshtein distance, for "did you mean".</summary>
    internal static int Distance(string a, string b)
    {
        var d = new int[a.Length + 1, b.Length + 1];
        for (int i = 0; i <= a.Length; i++) d[i, 0] = i;
        for (int j = 0; j <= b.Length; j++) d[0, j] = j;
        for (int i = 1; i <= a.Length; i++)
            for (int j = 1; j <= b.Length; j++)
                d[i, j] = Math.Min(Math.Min(d[i - 1, j] + 1, d[i, j - 1] + 1), d[i - 1, j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1));
        return d[a.Length, b.Length];
    }
}
