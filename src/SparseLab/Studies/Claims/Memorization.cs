// C5: under label noise sparse scratch memorizes less, and so tests better,
// than the dense network and than sparse finetuning (the paper's §3, CIFAR-10
// with 30 % symmetric noise at 95 %: the "memorization" of its title).
namespace SparseLab.Studies.Claims;

public sealed class Memorization : Claim
{
    public const double Margin = 0.005;

    public override string Id => "C5";
    public override string Title => "under 30 % label noise, scratch tests above dense and finetune";
    public override string SeedWords => "sparse scratch memorizes less [of the flipped labels] and generalizes better under label noise than the dense " +
                                        "network and sparse finetuning";
    public override string SeedEvidence => "ResNet-32 on CIFAR-10, 30 % symmetric noise, 95 % sparsity (Ye et al. 2022, §3): scratch's clean test " +
                                           "accuracy about 12 points above dense and 10 above finetune";
    public override string Study => ClaimStudies.Memorization;
    public override string Rule => "clean test accuracy scratch − dense and scratch − finetune, paired by seed: holds when both 95 % intervals are " +
                                   "above 0, reverses when both are below, does not hold here when both lie within ±0.5 points";

    public override IEnumerable<ClaimRow> Judge(GapStudyResult result)
    {
        foreach (double s in PairedRows.Sparsities(result))
        {
            var overDense = PairedRows.Difference(result, s, Methods.Scratch.Id, Methods.DenseRun.Name, r => r.TestAccuracy);
            var overFinetune = PairedRows.Difference(result, s, Methods.Scratch.Id, Methods.Finetune.Id, r => r.TestAccuracy);
            if (overDense is null || overFinetune is null) continue;
            string a = Verdicts.Directional(overDense, Margin), b = Verdicts.Directional(overFinetune, Margin);
            string verdict = a == b ? a : Verdicts.Undetermined;   // the claim is both comparisons at once
            string memorized = string.Join(", ", new[] { Methods.DenseRun.Name, Methods.Finetune.Id, Methods.Scratch.Id, Methods.Lottery.Id }
                .Select(m => (m, Rows: PairedRows.Of(result, s, m).Where(r => r.TrainAccuracyNoisy is not null).ToList()))
                .Where(x => x.Rows.Count > 0)
                .Select(x => $"{x.m} {100 * x.Rows.Average(r => r.TrainAccuracyNoisy!.Value):0.0} %"));
            yield return Row(verdict,
                $"at {Verdicts.Sparsity(s)}: clean test scratch − dense {Verdicts.Points(overDense)}, scratch − finetune {Verdicts.Points(overFinetune)} points; " +
                $"flipped training labels fitted (memorized): {memorized}",
                $"scratch − dense: {a}; scratch − finetune: {b}", overFinetune.N, overFinetune,
                key: $"{Verdicts.Points(overDense)} points over dense, {Verdicts.Points(overFinetune)} over finetune");
        }
    }
}
