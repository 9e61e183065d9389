// "What was measured", generated from the numbers: for each sparsity, did
// finetune beat scratch on test accuracy beyond the seed-to-seed noise (the
// paired 95 % interval of finetune − scratch excludes 0), and in which regime.
// It says plainly where the seed's claim (scratch generalizes worse) does not show.
using SparseLab.Studies;
using static SparseLab.Reporting.ReportFormat;

namespace SparseLab.Reporting;

public static class GapNarrative
{
    public const string Claim =
        "The claim under test (the seed's): with the same mask, sparse training from scratch generalizes worse than " +
        "pruning a trained dense network and finetuning it, i.e. finetune's test accuracy is higher than scratch's.";

    /// <summary>Paragraphs, first the claim and any caveat, then one per sparsity, then a one-line tally.</summary>
    public static IReadOnlyList<string> Describe(GapStudyResult result)
    {
        var text = new List<string> { Claim };
        var regimes = result.Regimes.OrderBy(r => r.Sparsity).ToList();
        if (regimes.Count == 0)
        {
            text.Add("No paired finetune/scratch comparison was recorded, so nothing can be said about the claim.");
            return text;
        }
        if (regimes.Any(r => r.TestGap.N < 2))
            text.Add("Some settings have a single seed: no confidence interval exists with one seed, so intervals are " +
                     "unavailable there and a difference cannot be told apart from noise. Run 3 or more seeds.");

        var shows = new List<string>();
        var doesNot = new List<string>();
        foreach (var r in regimes)
        {
            bool claimShows = r.TestGap.N >= 2 && r.TestGap.CiLow > 0;
            (claimShows ? shows : doesNot).Add(SparsityText(r.Sparsity));
            text.Add(Sentence(r));
        }
        text.Add(shows.Count == 0
            ? $"In short: the claim does not show beyond the noise at any sparsity measured ({string.Join(", ", doesNot)})."
            : doesNot.Count == 0
                ? $"In short: the claim shows beyond the noise at every sparsity measured ({string.Join(", ", shows)})."
                : $"In short: the claim shows beyond the noise at sparsity {string.Join(", ", shows)}; it does not show at {string.Join(", ", doesNot)}.");
        return text;
    }

    private static string Sentence(StudyRegime r)
    {
        var test = r.TestGap;
        string where = $"At sparsity {SparsityText(r.Sparsity)} ({r.Regime} regime: train-accuracy gap finetune − scratch " +
                       $"{GapEstimate(r.TrainGap)} points against a threshold of {(100 * r.Threshold).ToString("0.##", System.Globalization.CultureInfo.InvariantCulture)})";
        string verdict;
        if (test.N < 2)
        {
            verdict = test.Mean > 0
                ? $"finetune's test accuracy is {Percent(test.Mean)} points above scratch's with a single seed; no interval exists " +
                  "with one seed, so whether this is beyond the noise is unknown and the claim is not established here."
                : $"scratch's test accuracy is at least finetune's ({Points(test.Mean)} points, finetune − scratch) with a single seed: " +
                  "the seed's claim does not show here (no interval exists with one seed).";
        }
        else if (test.CiLow > 0)
        {
            verdict = $"finetune beat scratch on test accuracy by {Percent(test.Mean)} points (95 % CI {Interval(test)}, {test.N} seeds paired); " +
                      "the interval excludes 0, so this is beyond the seed-to-seed noise and the seed's claim shows here.";
        }
        else if (test.CiHigh < 0)
        {
            verdict = $"scratch beat finetune on test accuracy by {Percent(-test.Mean)} points (finetune − scratch 95 % CI {Interval(test)}, " +
                      $"{test.N} seeds paired): the seed's claim does not show here; the opposite holds beyond the noise.";
        }
        else
        {
            verdict = $"the test-accuracy difference finetune − scratch is {Points(test.Mean)} points with a 95 % CI {Interval(test)} " +
                      $"that includes 0 ({test.N} seeds paired): not distinguishable from noise, so the seed's claim does not show here.";
        }
        string regime = r.Regime switch
        {
            "generalization" => " Both methods fit the training set about equally here, so any test gap is a generalization gap.",
            "optimization" => " Scratch also fits the training set worse here, so the test gap mixes optimization with generalization.",
            "undetermined" => " Whether scratch also fits the training set worse is not settled: the train gap's interval straddles the regime threshold (more seeds would tell).",
            _ => "",
        };
        return $"{where}, {verdict}{regime}";
    }

    private static string Interval(Estimate e) => $"[{Points(e.CiLow)}, {Points(e.CiHigh)}]";
}
