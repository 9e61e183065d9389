// Name -> pruning criterion: magnitude, random, snip, grasp, synflow, fisher
// and structured nm:N:M (any 0 < N < M), with errors that list what is valid.
using System.Globalization;
using SparseLab.Foundations;

namespace SparseLab.Sparsity.Criteria;

public static class CriterionRegistry
{
    private static readonly Dictionary<string, Func<IPruningCriterion>> Factories = new(StringComparer.Ordinal)
    {
        ["magnitude"] = () => new MagnitudeCriterion(),
        ["random"] = () => new RandomCriterion(),
        ["snip"] = () => new SnipCriterion(),
        ["grasp"] = () => new GraspCriterion(),
        ["synflow"] = () => new SynFlowCriterion(),
        ["fisher"] = () => new FisherCriterion(),
    };

    /// <summary>The criterion names; N:M is listed as nm:2:4 and accepts any nm:N:M with 0 &lt; N &lt; M.</summary>
    public static IReadOnlyList<string> Names { get; } = ["magnitude", "random", "snip", "grasp", "synflow", "fisher", "nm:2:4"];

    private static string Valid => $"valid criteria: {string.Join(", ", Names.Take(Names.Count - 1))}, nm:N:M (0 < N < M, e.g. nm:2:4)";

    /// <exception cref="InvalidOptionException">Unknown name, or an nm:N:M that does not parse or has N ≥ M or N, M ≤ 0.</exception>
    public static IPruningCriterion Create(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (Factories.TryGetValue(name, out var factory)) return factory();
        if (name.StartsWith("nm:", StringComparison.Ordinal))
        {
            var parts = name.Split(':');
            if (parts.Length == 3
                && int.TryParse(parts[1], NumberStyles.Integer, CultureInfo.InvariantCulture, out int n)
                && int.TryParse(parts[2], NumberStyles.Integer, CultureInfo.InvariantCulture, out int m))
            {
                if (n <= 0 || m <= 0 || n >= m)
                    throw new InvalidOptionException($"pruning criterion '{name}' is not valid: N:M needs 0 < N < M, e.g. nm:2:4");
                return new NmCriterion(n, m);
            }
            throw new InvalidOptionException($"pruning criterion '{name}' does not parse as nm:N:M with whole numbers N and M, e.g. nm:2:4");
        }
        throw new InvalidOptionException($"pruning criterion '{name}' is not known; {Valid}");
    }
}
