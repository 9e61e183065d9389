// Control: sparse scratch with a random mask of M's per-layer sparsity, which
// separates "which weights" from "how many per layer".
namespace SparseLab.Studies.Methods;

public sealed class ScratchRandomMask : StudyMethod
{
    public override string Name => "scratch-random";
    public override MethodKind Kind => MethodKind.Control;
    public override string Color => "#2ca02c";
    public override string NotOnScheduler => "its mask copies M's per-layer sparsity, which the study reads before it writes the run's config";

    public override Training.RunFolder Run(GapStudy study, SparseCell cell) =>
        study.Train(Name, study.ScratchConfig(cell.Seed, study.RandomLikeMask(cell), cell.Dense), cell);
}
