// Sparse scratch (Init-S → Sol-S): the dense run's initialization with the
// same mask M, trained as long as the dense run (--scratch-init picks Init-S:
// Init-D ⊙ M, a fresh init ⊙ M, or Init-D ⊙ M rescaled per unit).
namespace SparseLab.Studies.Methods;

public sealed class Scratch : StudyMethod
{
    public const string Id = "scratch";
    public override string Name => Id;
    public override MethodKind Kind => MethodKind.Baseline;
    public override string Color => "#d62728";

    public override Training.RunFolder Run(GapStudy study, SparseCell cell) =>
        study.Train(Name, study.ScratchConfig(cell.Seed, cell.Mask, cell.Dense), cell);
}
