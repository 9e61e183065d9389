// C2: the gap comes in two regimes — at moderate sparsity both fit the
// training set and scratch still tests worse (generalization regime); at high
// sparsity scratch fails to fit it too (optimization regime). The regime of a
// sparsity is the study's (StudyTables.RegimeOf: the train-accuracy gap's
// interval against --regime-threshold).
namespace SparseLab.Studies.Claims;

public sealed class TwoRegimes : Claim
{
    public override string Id => "C2";
    public override string Title => "two regimes: a gap where both fit the training set";
    public override string SeedWords => "the performance gap comes in two regimes: [in the generalization regime both reach the same training accuracy " +
                                        "and scratch tests worse; in the optimization regime scratch also fits the training set worse]";
    public override string SeedEvidence => "ResNet-32 on CIFAR-100 (Ye et al. 2022, Fig. 1): 0.8–0.9 generalization regime with a 2–2.7-point test gap; " +
                                           "0.95–0.98 optimization regime";
    public override string Study => ClaimStudies.Gap;
    public override string Rule => "holds when some sparsity is in the generalization regime with a test gap (finetune − scratch) whose 95 % interval " +
                                   "is above 0, and some sparsity is in the optimization regime; does not hold here when every generalization-regime " +
                                   "sparsity's test gap is within the noise; undetermined when no sparsity is in the generalization regime";

    public override IEnumerable<ClaimRow> Judge(GapStudyResult result)
    {
        var cells = result.Regimes.OrderBy(g => g.Sparsity).ToList();
        var general = cells.Where(g => g.Regime == "generalization").ToList();
        var optimization = cells.Where(g => g.Regime == "optimization").ToList();
        var withGap = general.Where(g => g.TestGap.N >= 2 && g.TestGap.CiLow > 0).ToList();
        string measurement = string.Join("; ", cells.Select(g =>
            $"{Verdicts.Sparsity(g.Sparsity)}: {g.Regime} (train gap {Verdicts.Points(g.TrainGap)}, test gap {Verdicts.Points(g.TestGap)})"));
        var (verdict, why) = (general.Count, withGap.Count, optimization.Count) switch
        {
            (0, _, _) => (Verdicts.Undetermined, "no sparsity is in the generalization regime: scratch fits the training set worse (or the interval straddles the threshold) everywhere"),
            (_, > 0, > 0) => (Verdicts.Holds, $"a generalization-regime gap beyond the noise at {string.Join(", ", withGap.Select(g => Verdicts.Sparsity(g.Sparsity)))} and the optimization regime at {string.Join(", ", optimization.Select(g => Verdicts.Sparsity(g.Sparsity)))}"),
            (_, > 0, 0) => (Verdicts.Undetermined, "a generalization-regime gap, but no sparsity in the optimization regime"),
            _ => (Verdicts.DoesNotHold, $"in the generalization regime ({string.Join(", ", general.Select(g => Verdicts.Sparsity(g.Sparsity)))}) the test gap is within the noise: every gap beyond it is in the optimization regime"),
        };
        var headline = (withGap.Count > 0 ? withGap : general).OrderByDescending(g => g.TestGap.Mean).FirstOrDefault();
        string key = $"{general.Count} of {cells.Count} sparsities in the generalization regime" +
                     (headline is null ? "" : $"; its largest test gap {Verdicts.Points(headline.TestGap)} points at {Verdicts.Sparsity(headline.Sparsity)}");
        int seeds = cells.Count == 0 ? 0 : cells.Max(g => g.TrainGap.N);
        yield return Row(verdict, measurement, why, seeds, headline?.TestGap, key: key);
    }
}
