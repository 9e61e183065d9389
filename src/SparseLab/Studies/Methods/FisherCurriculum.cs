// Curriculum arm curriculum: lowest Fisher score first: the seed's proposal.
using SparseLab.Curriculum;

namespace SparseLab.Studies.Methods;

public sealed class FisherCurriculum : CurriculumArm
{
    public const string Id = "curriculum";
    public override string Name => Id;
    public override string Color => "#2ca02c";

    protected override CurriculumConfig Arm(CurriculumConfig c, string el2nReference) => c with { Order = "curriculum" };
}
