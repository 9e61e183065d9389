// The arithmetic every sparsity budget shares (METHODS.md §2): checking the
// target sparsity, matching --layer-sparsity overrides to layers, and how many
// weights the non-overridden layers must keep so the TOTAL stays on target:
//   T_rest = (1 − s)·Σ_l n_l − Σ_{fixed f} (1 − s_f)·n_f.
using System.Globalization;
using SparseLab.Foundations;

namespace SparseLab.Sparsity;

internal static class BudgetTarget
{
    public static void CheckSparsity(double sparsity)
    {
        if (!(sparsity >= 0 && sparsity < 1))
            throw ConfigError.Of(nameof(SparsityConfig.Target), $"{Format(sparsity)} is not valid; use a fraction of weights to remove in [0, 1), e.g. 0.9");
    }

    public static long Count(long[] shape) => shape.Aggregate(1L, (a, d) => a * d);

    /// <summary>Rounds half away from zero, so 2.5 weights keep 3.</summary>
    public static long Round(double x) => (long)Math.Round(x, MidpointRounding.AwayFromZero);

    public static long Keep(long count, double sparsity) => Math.Clamp(Round((1 - sparsity) * count), 0, count);

    /// <summary>
    /// Maps each override to the layer it names: the exact state-dict name
    /// ("conv1.weight") or the module name ("conv1").
    /// </summary>
    public static IReadOnlyDictionary<string, double> ResolveOverrides(
        IReadOnlyDictionary<string, double>? overrides, IReadOnlyCollection<string> layerNames)
    {
        var result = new Dictionary<string, double>(StringComparer.Ordinal);
        if (overrides is null) return result;
        foreach (var (key, value) in overrides)
        {
            CheckLayerSparsity(key, value);
            var layer = layerNames.FirstOrDefault(n => n == key) ?? layerNames.FirstOrDefault(n => n == key + ".weight")
                ?? throw ConfigError.Of(nameof(SparsityConfig.LayerSparsity), $"names '{key}', which is not a prunable layer here; use one of: {string.Join(", ", layerNames)}");
            if (!result.TryAdd(layer, value))
                throw ConfigError.Of(nameof(SparsityConfig.LayerSparsity), $"sets layer '{layer}' twice");
        }
        return result;
    }

    public static void CheckLayerSparsity(string layer, double value)
    {
        if (!(value >= 0 && value < 1))
            throw ConfigError.Of(nameof(SparsityConfig.LayerSparsity), $"{layer}={Format(value)} is not valid; a layer's sparsity must be in [0, 1)");
    }

    /// <summary>
    /// Weights (a real number) the non-fixed layers must keep together; refuses
    /// overrides that make the total target unreachable.
    /// </summary>
    public static double RemainingKeep(
        IReadOnlyList<(string Name, long[] Shape)> layers, double sparsity, IReadOnlyDictionary<string, double> fixedSparsity)
    {
        double total = layers.Sum(l => (double)Count(l.Shape));
        double fixedKeep = 0, rest = 0;
        foreach (var (name, shape) in layers)
        {
            if (fixedSparsity.TryGetValue(name, out var s)) fixedKeep += (1 - s) * Count(shape);
            else rest += Count(shape);
        }
        double target = (1 - sparsity) * total;
        double remaining = target - fixedKeep;
        if (fixedSparsity.Count == 0) return remaining;

        var fixedNames = string.Join(", ", fixedSparsity.Keys);
        string layerSparsity = ConfigError.Field(nameof(SparsityConfig.LayerSparsity)), targetField = ConfigError.Field(nameof(SparsityConfig.Target));
        if (rest == 0 && Math.Abs(remaining) > layers.Count)
            throw new ConfigError(
                $"{layerSparsity} fixes every layer ({fixedNames}), which gives a total sparsity of {Format(1 - fixedKeep / total)}, not {targetField} {Format(sparsity)}; drop an override or set {targetField} to match");
        if (remaining < -0.5)
            throw new ConfigError(
                $"{layerSparsity} makes {targetField} {Format(sparsity)} impossible: {fixedNames} alone keep {fixedKeep:F0} weights, more than the {target:F0} of {total:F0} the total allows; raise those layers' sparsity or lower {targetField}");
        if (remaining > rest + 0.5)
            throw new ConfigError(
                $"{layerSparsity} makes {targetField} {Format(sparsity)} impossible: {fixedNames} keep only {fixedKeep:F0} weights, so even with every other layer dense ({rest:F0} weights) the total stays below the {target:F0} of {total:F0} needed; lower those layers' sparsity or raise {targetField}");
        return Math.Clamp(remaining, 0, rest);
    }

    private static string Format(double x) => x.ToString("G", CultureInfo.InvariantCulture);
}
