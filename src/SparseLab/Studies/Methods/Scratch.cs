// Sparse scratch (Init-S → Sol-S), as the seed defines it: the same mask M on a
// fresh initialization (same init family as the dense run, a new draw; the
// seed code's `sparse-scratch` mode calls init_network again after pruning),
// trained for --scratch-epochs (default: as long as the dense run).
// --scratch-init picks another Init-S: original (Init-D ⊙ M, which is the
// lottery method's start) or scaled (Init-D ⊙ M rescaled per unit).
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
