// Curriculum arm random-pacing: a random order under the same pacing: separates "easy first" from "a smaller pool early" (Wu et al. 2021 found the latter does most of the work).
using SparseLab.Curriculum;

namespace SparseLab.Studies.Methods;

public sealed class RandomPacing : CurriculumArm
{
    public const string Id = "random-pacing";
    public override string Name => Id;
    public override string Color => "#bcbd22";
    public override bool UsesStudyReference => false;

    protected override CurriculumConfig Arm(CurriculumConfig c, string el2nReference) => c with { Score = "random", Reference = null, Order = "random" };
}
