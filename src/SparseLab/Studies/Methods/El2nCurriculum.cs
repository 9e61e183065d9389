// Curriculum arm el2n-curriculum: lowest EL2N first (Paul et al. 2021), scored by short dense warm-ups.
using SparseLab.Curriculum;

namespace SparseLab.Studies.Methods;

public sealed class El2nCurriculum : CurriculumArm
{
    public const string Id = "el2n-curriculum";
    public override string Name => Id;
    public override string Color => "#7f7f7f";
    public override bool UsesStudyReference => false;
    public override string? ImagesOnly => "EL2N is the error of a class distribution against a label";

    public override void Validate(GapStudyConfig config)
    {
        var reference = ScoreReference.TryParse(config.El2nReference);
        Foundations.Check.That(reference?.Kind is "warmup" or "run", nameof(GapStudyConfig.El2nReference),
            $"{config.El2nReference}: EL2N averages the error of trained models (Paul et al. 2021); use warmup:K or run:DIR");
        base.Validate(config);
    }

    protected override CurriculumConfig Arm(CurriculumConfig c, string el2nReference) => c with { Score = "el2n", Reference = el2nReference, Order = "curriculum" };
}
