// Name -> factory for the sparsity distributions of METHODS.md §2 (global,
// uniform, ERK), and the parser for --layer-sparsity overrides ("conv1=0.5,fc3=0").
using System.Globalization;
using SparseLab.Foundations;

namespace SparseLab.Sparsity;

public static class BudgetRegistry
{
    private static readonly Dictionary<string, Func<IReadOnlyDictionary<string, double>?, ISparsityBudget>> Factories =
        new(StringComparer.Ordinal)
        {
            ["global"] = o => new GlobalBudget(o),
            ["uniform"] = o => new UniformBudget(o),
            ["erk"] = o => new ErkBudget(o),
        };

    /// <summary>The budget names <see cref="Create"/> accepts.</summary>
    public static NameSet Names { get; } = new([.. Factories.Keys]);

    /// <param name="name">"global", "uniform" or "erk".</param>
    /// <param name="layerSparsity">Layer (module or state-dict name) → fixed sparsity in [0, 1); the other layers share what is left.</param>
    /// <exception cref="InvalidOptionException">Unknown name, or an override outside [0, 1).</exception>
    public static ISparsityBudget Create(string name, IReadOnlyDictionary<string, double>? layerSparsity = null)
    {
        if (name is null || !Factories.TryGetValue(name, out var factory))
            throw ConfigError.Of(nameof(SparsityConfig.Budget), $"'{name}' is not known; use one of: {Names.Describe()}");
        if (layerSparsity is not null)
            foreach (var (layer, s) in layerSparsity) BudgetTarget.CheckLayerSparsity(layer, s);
        return factory(layerSparsity is null ? null : new Dictionary<string, double>(layerSparsity, StringComparer.Ordinal));
    }

    /// <summary>Parses "conv1=0.5,fc3=0" (blank text: no overrides).</summary>
    /// <exception cref="InvalidOptionException">A part that is not name=value, a value outside [0, 1), or a layer named twice.</exception>
    public static IReadOnlyDictionary<string, double> ParseOverrides(string text)
    {
        var result = new Dictionary<string, double>(StringComparer.Ordinal);
        if (string.IsNullOrWhiteSpace(text)) return result;
        foreach (var raw in text.Split(','))
        {
            var part = raw.Trim();
            var eq = part.IndexOf('=', StringComparison.Ordinal);
            if (eq <= 0 || eq != part.LastIndexOf('='))
                throw ConfigError.Of(nameof(SparsityConfig.LayerSparsity), $"part '{part}' is not valid; write layer=sparsity pairs separated by commas, e.g. conv1=0.5,fc3=0");
            var layer = part[..eq].Trim();
            var value = part[(eq + 1)..].Trim();
            if (layer.Length == 0 || !double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var s))
                throw ConfigError.Of(nameof(SparsityConfig.LayerSparsity), $"part '{part}' is not valid; '{value}' is not a number; write layer=sparsity, e.g. conv1=0.5");
            BudgetTarget.CheckLayerSparsity(layer, s);
            if (!result.TryAdd(layer, s))
                throw ConfigError.Of(nameof(SparsityConfig.LayerSparsity), $"sets layer '{layer}' twice");
        }
        return result;
    }
}
