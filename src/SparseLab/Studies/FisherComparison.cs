// The seed's Fisher claim as a test, not a plot: at every sparsity and epoch,
// scratch's true Fisher trace minus finetune's, paired by seed, with a 95 %
// Student-t interval. Where the interval is above 0, scratch's Fisher is
// higher beyond the seed-to-seed noise; below 0, lower; else undecided.
using SparseLab.Reporting;
using SparseLab.Studies.Methods;

namespace SparseLab.Studies;

/// <summary>Fisher(scratch) − Fisher(finetune) at one sparsity and epoch, over the seeds that logged both.</summary>
public sealed record FisherGap(double Sparsity, int Epoch, Estimate Difference)
{
    /// <summary>"higher", "lower" or "undecided" (the interval holds 0, or a single seed).</summary>
    public string Verdict => Difference.N < 2 ? "undecided" : Difference.CiLow > 0 ? "higher" : Difference.CiHigh < 0 ? "lower" : "undecided";
}

public static class FisherComparison
{
    public static IReadOnlyList<FisherGap> Build(IReadOnlyList<FisherSeries> fisher)
    {
        var gaps = new List<FisherGap>();
        foreach (double s in fisher.Where(f => f.Method == Scratch.Id).Select(f => f.Sparsity).Distinct().Order())
        {
            var scratch = BySeed(fisher, s, Scratch.Id);
            var finetune = BySeed(fisher, s, Finetune.Id);
            var epochs = scratch.Values.SelectMany(e => e.Keys).Distinct().Order();
            foreach (int epoch in epochs)
            {
                var seeds = scratch.Keys.Where(seed => finetune.ContainsKey(seed) && scratch[seed].ContainsKey(epoch) && finetune[seed].ContainsKey(epoch)).Order().ToList();
                if (seeds.Count == 0) continue;
                gaps.Add(new FisherGap(s, epoch, Statistics.Paired([.. seeds.Select(x => scratch[x][epoch])], [.. seeds.Select(x => finetune[x][epoch])])));
            }
        }
        return gaps;
    }

    private static Dictionary<long, Dictionary<int, double>> BySeed(IReadOnlyList<FisherSeries> fisher, double sparsity, string method) =>
        fisher.Where(f => f.Sparsity == sparsity && f.Method == method)
            .ToDictionary(f => f.Seed, f => f.Epoch.Zip(f.True).Where(t => double.IsFinite(t.Second)).GroupBy(t => t.First).ToDictionary(g => g.Key, g => g.Last().Second));
}
