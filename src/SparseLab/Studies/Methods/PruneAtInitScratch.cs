// Control: sparse scratch with a mask chosen at initialization by a
// pruning-at-init criterion (SNIP, GraSP, SynFlow) at the same sparsity.
namespace SparseLab.Studies.Methods;

public sealed class PruneAtInitScratch(string criterion, string color) : StudyMethod
{
    public override string Name => $"scratch-{criterion}";
    public override MethodKind Kind => MethodKind.Control;
    public override string Color => color;

    public override bool NeedsDenseRun => false;   // the mask comes from Init-D, before any training

    public override string? ImagesOnly => $"{criterion} scores weights on image batches";

    public override Training.RunFolder Run(GapStudy study, SparseCell cell) =>
        study.Train(Name, study.ScratchConfig(cell.Seed, study.MaskAtInit(cell, criterion), cell.Dense), cell);
}
