// The criteria of `oneshot` (post-training pruning of a trained run):
// magnitude, wanda and sparsegpt at a sparsity, and their structured N:M forms
// nm:N:M (magnitude), wanda:N:M and sparsegpt:N:M. All come back in the
// reconstructing shape: mask plus the weights to write (w ⊙ mask for the
// mask-only ones, SparseGPT's reconstructed weights for sparsegpt).
using System.Globalization;
using SparseLab.Foundations;
using SparseLab.Sparsity.Criteria;

namespace SparseLab.Sparsity;

public static class OneShotCriteria
{
    private static readonly string[] Bases = ["magnitude", "wanda", "sparsegpt"];

    public static NameSet Names { get; } = new(Bases, name => Parse(name) is { Nm: not null },
        "nm:N:M, wanda:N:M or sparsegpt:N:M (structured N:M, 0 < N < M, e.g. nm:2:4)");

    /// <summary>("magnitude" | "wanda" | "sparsegpt", N:M or null) of a valid name, else null; nm:N:M is magnitude N:M.</summary>
    public static (string Base, (int N, int M)? Nm)? Parse(string name)
    {
        if (Bases.Contains(name)) return (name, null);
        var parts = name.Split(':');
        if (parts.Length != 3) return null;
        string b = parts[0] == "nm" ? "magnitude" : parts[0];
        return b is "wanda" or "sparsegpt" or "magnitude" && parts[0] != "magnitude"
            && int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out int n)
            && int.TryParse(parts[2], NumberStyles.None, CultureInfo.InvariantCulture, out int m)
            && n > 0 && n < m ? (b, (n, m)) : null;
    }

    /// <exception cref="InvalidOptionException">An unknown or malformed name.</exception>
    public static IReconstructingCriterion Create(string name, double damp = 0.01, int blockSize = 128)
    {
        var parsed = Parse(name ?? "") ?? throw new InvalidOptionException(
            $"one-shot criterion '{name}' is not known; use one of: {Names.Describe()}");
        return parsed switch
        {
            ("magnitude", null) => new MaskOnly(new MagnitudeCriterion()),
            ("magnitude", var (n, m)) => new MaskOnly(new NmCriterion(n, m)),
            ("wanda", null) => new MaskOnly(new WandaCriterion()),
            ("wanda", var (n, m)) => new MaskOnly(new WandaCriterion(n, m)),
            (_, null) => new SparseGptCriterion(damp: damp, blockSize: blockSize),
            (_, var (n, m)) => new SparseGptCriterion(n, m, damp, blockSize),
        };
    }

    /// <summary>Whether the criterion reads calibration data.</summary>
    public static bool NeedsData(string name) => Parse(name) is { Base: not "magnitude" };
}
