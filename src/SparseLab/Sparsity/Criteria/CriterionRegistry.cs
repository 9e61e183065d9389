// Name -> pruning criterion: magnitude, random, snip, grasp, synflow, fisher, wanda
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
        ["wanda"] = () => new WandaCriterion(),
    };

    /// <summary>The criterion names, and nm:N:M for any 0 &lt; N &lt; M.</summary>
    public static NameSet Names { get; } = new([.. Factories.Keys], name => NmOf(name) is not null, "nm:N:M (0 < N < M, e.g. nm:2:4)");

    /// <summary>(N, M) of a valid "nm:N:M", else null.</summary>
    public static (int N, int M)? NmOf(string name)
    {
        var parts = name.Split(':');
        return parts.Length == 3 && parts[0] == "nm"
            && int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out int n)
            && int.TryParse(parts[2], NumberStyles.None, CultureInfo.InvariantCulture, out int m)
            && n > 0 && n < m ? (n, m) : null;
    }

    /// <exception cref="InvalidOptionException">Unknown name, or an nm:N:M that does not parse or has N ≥ M or N, M ≤ 0.</exception>
    public static IPruningCriterion Create(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (Factories.TryGetValue(name, out var factory)) return factory();
        if (NmOf(name) is var (n, m)) return new NmCriterion(n, m);
        if (name.StartsWith("nm:", StringComparison.Ordinal))
            throw new InvalidOptionException($"pruning criterion '{name}' is not valid: write nm:N:M with whole numbers 0 < N < M, e.g. nm:2:4");
        throw new InvalidOptionException($"pruning criterion '{name}' is not known; use one of: {Names.Describe()}");
    }
}
