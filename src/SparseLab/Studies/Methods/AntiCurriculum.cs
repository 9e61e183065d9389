// Curriculum arm anti-curriculum: highest Fisher score first: is "easy first" what helps?.
using SparseLab.Curriculum;

namespace SparseLab.Studies.Methods;

public sealed class AntiCurriculum : CurriculumArm
{
    public const string Id = "anti-curriculum";
    public override string Name => Id;
    public override string Color => "#9467bd";

    protected override CurriculumConfig Arm(CurriculumConfig c, string el2nReference) => c with { Order = "anti" };
}
