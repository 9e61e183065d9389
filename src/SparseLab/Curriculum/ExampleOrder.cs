// Orders training examples by their scores (METHODS §7): curriculum (lowest score
// first: "easy" examples, e.g. low Fisher information), anti-curriculum (highest
// first) or a seeded random order; optionally class-balanced in every prefix.
using SparseLab.Foundations;

namespace SparseLab.Curriculum;

public static class ExampleOrder
{
    public static NameSet Names { get; } = new("curriculum", "anti", "random");

    /// <summary>
    /// A permutation of 0..N−1. Ties keep file order (a stable sort), so the order is a pure function of
    /// the scores, the labels and the seed. With balance, each prefix holds every class in proportion to
    /// its share of the data (within one example), each class in its own score order.
    /// </summary>
    public static long[] Build(IReadOnlyList<double> scores, IReadOnlyList<long> labels, string order, bool balanceClasses, long seed)
    {
        ArgumentNullException.ThrowIfNull(scores);
        ArgumentNullException.ThrowIfNull(labels);
        if (scores.Count != labels.Count) throw new ArgumentException($"{scores.Count} scores but {labels.Count} labels", nameof(labels));
        if (!Names.Contains(order)) throw ConfigError.Of(nameof(CurriculumConfig.Order), $"'{order}' is not known; use one of: {Names.Describe()}");
        int n = scores.Count;
        long[] ranked = order switch
        {
            "curriculum" => [.. Enumerable.Range(0, n).OrderBy(i => scores[i]).Select(i => (long)i)],
            "anti" => [.. Enumerable.Range(0, n).OrderByDescending(i => scores[i]).Select(i => (long)i)],
            _ => RandomPermutation(n, seed),
        };
        return balanceClasses ? Balance(ranked, labels) : ranked;
    }

    /// <summary>
    /// Interleaves the classes: position k goes to the class furthest behind its share, i.e. with the
    /// smallest (taken + 1) / size (ties to the smaller label), so every prefix is proportional.
    /// </summary>
    public static long[] Balance(long[] ranked, IReadOnlyList<long> labels)
    {
        var queues = ranked.GroupBy(i => labels[(int)i]).OrderBy(g => g.Key).Select(g => g.ToArray()).ToArray();
        var taken = new int[queues.Length];
        var result = new long[ranked.Length];
        for (int k = 0; k < result.Length; k++)
        {
            int best = -1;
            double bestShare = double.PositiveInfinity;
            for (int c = 0; c < queues.Length; c++)
            {
                if (taken[c] == queues[c].Length) continue;
                double share = (taken[c] + 1.0) / queues[c].Length;
                if (share < bestShare) { bestShare = share; best = c; }
            }
            result[k] = queues[best][taken[best]++];
        }
        return result;
    }

    private static long[] RandomPermutation(int n, long seed)
    {
        using var generator = new TorchSharp.torch.Generator(Data.SeedMix.Mix(seed, 0x4F524452));   // "ORDR"
        using var perm = TorchSharp.torch.randperm(n, generator: generator);
        return perm.data<long>().ToArray();
    }
}
