// Curriculum arm el2n-curriculum: lowest EL2N first (Paul et al. 2021), scored by short dense warm-ups.
using SparseLab.Curriculum;

namespace SparseLab.Studies.Methods;

public sealed class El2nCurriculum : CurriculumArm
{
    public override string Name => "el2n-curriculum";
    public override string Color => "#7f7f7f";

    protected override CurriculumConfig Arm(CurriculumConfig c, string el2nReference) => c with { Score = "el2n", Reference = el2nReference, Order = "curriculum" };
}
