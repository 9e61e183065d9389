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
    private const int MaxLevels = 1_000;

    /// <summary>Which config fields hold the rate, the level count and the targets, for errors that name them.</summary>
    public sealed record Fields(string Rate, string Levels, string Targets);

    public int Levels => Sparsities.Count - 1;

    /// <param name="rate">p, the fraction of the remaining weights removed per level.</param>
    /// <param name="levels">L, the number of pruning levels; null: as many as the largest target needs.</param>
    public static ImpPlan Make(double rate, int? levels, IReadOnlyList<double> targets, Fields fields)
    {
        string F(string field) => ConfigError.Field(field);
        Check.That(rate is > 0 and < 1, fields.Rate, $"the fraction of remaining weights removed per level must be in (0, 1), e.g. 0.2; got {Fmt(rate)}");
        Check.That(levels is null or >= 1, fields.Levels, $"needs at least 1 pruning level, got {levels}");
        Check.That(levels is null or <= MaxLevels, fields.Levels, $"{levels} is more than {MaxLevels} levels");
        foreach (var t in targets)
            Check.That(t is > 0 and < 1, fields.Targets, $"{Fmt(t)}: an IMP target must be in (0, 1)");
        Check.That(levels is not null || targets.Count > 0, $"IMP needs {F(fields.Levels)} or {F(fields.Targets)}");

        var pending = new Queue<double>(targets.Distinct().Order());
        var s = new List<double> { 0 };
        while (levels is { } l ? s.Count <= l : pending.Count > 0)
        {
            if (s.Count > MaxLevels) throw ConfigError.Of(fields.Rate, $"{Fmt(rate)} needs over {MaxLevels} levels to reach {Fmt(pending.Max())}; use a larger rate");
            double next = 1 - (1 - s[^1]) * (1 - rate);
            if (pending.Count > 0 && next > pending.Peek() - Tolerance) next = pending.Dequeue();
            s.Add(next);
        }
        if (pending.Count > 0)
        {
            var needed = Make(rate, null, targets, fields);
            throw new ConfigError(
                $"IMP with {F(fields.Levels)} {levels} at {F(fields.Rate)} {Fmt(rate)} reaches sparsity {s[^1].ToString("0.####", CultureInfo.InvariantCulture)}, " +
                $"short of the requested {Fmt(pending.Max())}; use {F(fields.Levels)} {needed.Levels} or more, or a larger {F(fields.Rate)}");
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
