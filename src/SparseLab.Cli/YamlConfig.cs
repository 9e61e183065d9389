// --config FILE.yaml: every key is an option of the command (`lr: 0.1`,
// `batch-size: 64` or `batch_size: 64`, `milestones: [80, 120]`,
// `nesterov: true`). Options given on the command line win over the file.
using SparseLab.Foundations;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace SparseLab.Cli;

public static class YamlConfig
{
    public static string[] Apply(string[] args)
    {
        int at = Array.IndexOf(args, "--config");
        if (at < 0) return args;
        if (at + 1 >= args.Length) throw new InvalidOptionException("--config needs a file: --config FILE.yaml");
        string path = args[at + 1];
        if (!File.Exists(path)) throw new InvalidOptionException($"--config '{path}': the file does not exist");

        var yaml = new YamlStream();
        try
        {
            using var reader = new StreamReader(path);
            yaml.Load(reader);
        }
        catch (YamlException e)
        {
            throw new InvalidOptionException($"--config '{path}': not valid YAML at line {e.Start.Line}: {e.Message}");
        }
        if (yaml.Documents.Count == 0) return [.. args.Where((_, i) => i != at && i != at + 1)];
        if (yaml.Documents[0].RootNode is not YamlMappingNode root)
            throw new InvalidOptionException($"--config '{path}': expected a mapping of option names to values (e.g. `epochs: 15`)");

        var given = args.Where(a => a.StartsWith("--", StringComparison.Ordinal)).Select(a => a.Split('=')[0]).ToHashSet();
        var result = args.Where((_, i) => i != at && i != at + 1).ToList();
        foreach (var (keyNode, valueNode) in root.Children)
        {
            string option = "--" + ((YamlScalarNode)keyNode).Value!.Replace('_', '-');
            if (given.Contains(option)) continue;
            switch (valueNode)
            {
                case YamlScalarNode { Value: "true" or "True" }:
                    result.Add(option);
                    break;
                case YamlScalarNode { Value: "false" or "False" }:
                    break;
                case YamlScalarNode s:
                    result.Add(option);
                    result.Add(s.Value ?? "");
                    break;
                case YamlSequenceNode seq:
                    result.Add(option);
                    result.Add(string.Join(",", seq.Children.Select(c => ((YamlScalarNode)c).Value)));
                    break;
                default:
                    throw new InvalidOptionException($"--config '{path}': the value of '{keyNode}' must be a scalar or a list");
            }
        }
        return [.. result];
    }
}
