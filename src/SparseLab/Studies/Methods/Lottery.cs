// The lottery arm (Frankle & Carbin 2019; the seed code's `lottery` mode):
// the same mask M on the dense run's own initialization, Init-D ⊙ M, trained
// like scratch. Beside scratch it separates "which init" from "which mask":
// Evci et al. 2020 found Lottery ≈ Scratch < Pruned at these scales.
namespace SparseLab.Studies.Methods;

public sealed class Lottery : StudyMethod
{
    public const string Id = "lottery";
    public override string Name => Id;
    public override MethodKind Kind => MethodKind.Baseline;
    public override string Color => "#ff7f0e";

    public override Training.RunFolder Run(GapStudy study, SparseCell cell) =>
        study.Train(Name, study.LotteryConfig(cell.Seed, cell.Mask, cell.Dense), cell);
}
