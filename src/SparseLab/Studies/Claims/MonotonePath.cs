// C3: the training loss falls (almost) monotonically along the straight line
// from Init-S to Sol-F (Evci et al. 2020, Fig. 3; the seed's second figure):
// scratch could in principle reach finetuning's solution.
namespace SparseLab.Studies.Claims;

public sealed class MonotonePath : Claim
{
    /// <summary>How far (nats) the train loss may climb above its running minimum on α ∈ [0, 1] and still count as falling.</summary>
    public const double Tolerance = 0.02;
    /// <summary>The share of paths that must fall for the claim to hold (and below which it does not).</summary>
    public const double HoldsShare = 0.9, FailsShare = 0.5;

    public override string Id => "C3";
    public override string Title => "the loss falls monotonically from Init-S to Sol-F";
    public override string SeedWords => "there exists a path, from Init-S to Sol-F, where the loss is almost monotonically decreasing";
    public override string SeedEvidence => "ResNet-32 on CIFAR-100 (the seed's linear-path figure, after Evci et al. 2020): train loss along " +
                                           "(1 − α)·Init-S + α·Sol-F falls from α = 0 to 1";
    public override string Study => ClaimStudies.Gap;
    public override string Rule => $"a path falls when its train loss on α ∈ [0, 1] never rises more than {Tolerance} nats above its running " +
                                   $"minimum; holds when at least {HoldsShare:P0} of the Init-S → Sol-F paths (every sparsity and seed) fall, " +
                                   $"does not hold here below {FailsShare:P0}";

    /// <summary>The largest climb of the train loss above its running minimum over α ∈ [0, 1] (nats).</summary>
    public static double Climb(StudyPath p)
    {
        double best = double.PositiveInfinity, climb = 0;
        for (int i = 0; i < p.Alpha.Length; i++)
        {
            if (p.Alpha[i] < -1e-9 || p.Alpha[i] > 1 + 1e-9) continue;
            best = Math.Min(best, p.TrainLoss[i]);
            climb = Math.Max(climb, p.TrainLoss[i] - best);
        }
        return climb;
    }

    public override IEnumerable<ClaimRow> Judge(GapStudyResult result)
    {
        var paths = result.Paths.Where(p => p.From == "init-s" && p.To == "sol-f").ToList();
        if (paths.Count == 0)
        {
            yield return Row(Verdicts.Undetermined, "no Init-S → Sol-F path was measured", "the study measured no paths (--points 0)", 0);
            yield break;
        }
        var falling = paths.Where(p => Climb(p) <= Tolerance).ToList();
        double share = (double)falling.Count / paths.Count;
        string verdict = share >= HoldsShare ? Verdicts.Holds : share < FailsShare ? Verdicts.DoesNotHold : Verdicts.Undetermined;
        var bySparsity = paths.GroupBy(p => p.Sparsity).OrderBy(g => g.Key)
            .Select(g => $"{Verdicts.Sparsity(g.Key)}: {g.Count(p => Climb(p) <= Tolerance)}/{g.Count()} (largest climb {g.Max(Climb):0.000} nats)");
        int seeds = paths.Select(p => p.Seed).Distinct().Count();
        yield return Row(verdict, $"{falling.Count} of {paths.Count} paths fall; {string.Join("; ", bySparsity)}",
            $"{share:P0} of the paths fall within {Tolerance} nats", seeds, key: $"{falling.Count}/{paths.Count} paths fall");
    }
}
