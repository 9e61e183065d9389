// The sparsity of every IMP level (Frankle & Carbin 2019; METHODS §4): level
// k removes a fraction p of the weights that survived level k − 1, so
// s_k = 1 − (1 − p)^k. When target sparsities are requested, a level that
// would pass a target stops exactly on it (and the next level continues from
// there), so every target is met by one level, not overshot.
using System.Globalization;
using SparseLab.Foundations;

namespace SparseLab.Schedules;

public sealed record ImpPlan(IReadOnlyList<double> Sparsities)
{
    private const double Tolerance = 1e-12;

    public int Levels => Sparsities.Count - 1;

    /// <param name="rate">p, the fraction of the remaining weights removed per level.</param>
    /// <param name="levels">L, the number of pruning levels; null: as many as the largest target needs.</param>
    public static ImpPlan Make(double rate, int? levels, IReadOnlyList<double> targets)
    {
        if (!(rate > 0 && rate < 1))
            throw new InvalidOptionException($"--prune-rate {Fmt(rate)}: the fraction of remaining weights removed per level must be in (0, 1), e.g. 0.2");
        if (levels is < 1)
            throw new InvalidOptionException($"--levels {levels}: need at least 1 pruning level");
        foreach (var t in targets)
            if (!(t > 0 && t < 1))
                throw new InvalidOptionException($"--sparsity {Fmt(t)}: an IMP target must be in (0, 1)");
        if (levels is null && targets.Count == 0)
            throw new InvalidOptionException("IMP needs --levels or a target --sparsity");

        var pending = new Queue<double>(targets.Distinct().Order());
        var s = new List<double> { 0 };
        while (levels is { } l ? s.Count <= l : pending.Count > 0)
        {
            if (s.Count > 10_000) throw new InvalidOptionException($"--prune-rate {Fmt(rate)} needs over 10000 levels to reach the targets");
            double next = 1 - (1 - s[^1]) * (1 - rate);
            if (pending.Count > 0 && next > pending.Peek() - Tolerance) next = pending.Dequeue();
            s.Add(next);
        }
        if (pending.Count > 0)
        {
            var needed = Make(rate, null, targets);
            throw new InvalidOptionException(
                $"IMP with --levels {levels} at --prune-rate {Fmt(rate)} reaches sparsity {s[^1].ToString("0.####", CultureInfo.InvariantCulture)}, " +
                $"short of the requested {Fmt(pending.Max())}; use --levels {needed.Levels} or more, or a larger --prune-rate");
        }
        return new ImpPlan(s);
    }

    /// <summary>The first level whose sparsity reaches the target.</summary>
    public int LevelOf(double target)
    {
        for (int k = 0; k < Sparsities.Count; k++)
            if (Sparsities[k] >= target - Tolerance) return k;
        throw new InvalidOperationException($"no IMP level reaches sparsity {target}");
    }

    private static string Fmt(double x) => x.ToString("R", CultureInfo.InvariantCulture);
}
