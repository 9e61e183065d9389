// Early-phase arm fisher-penalty: the Fisher penalty of Jastrzebski et al. 2021 (λ‖∇θ L_B(ŷ)‖², ŷ
// sampled from the model; EarlyPhase/FisherPenalty) added to the loss for the first t* steps, on the
// plain batches and dense kernels: the other way to hold the early Fisher down.
using SparseLab.EarlyPhase;

namespace SparseLab.Studies.Methods;

public sealed class FisherPenaltyArm : EarlyPhaseArm
{
    public const string Id = "fisher-penalty";
    public override string Name => Id;
    public override string Color => "#66a61e";
    public override bool Selects => false;
    public override bool Penalizes => true;
    public override string? ImagesOnly => "the Fisher penalty is built for image classifiers";

    protected override EarlyPhaseConfig Arm(EarlyPhaseConfig study) =>
        study with { Select = null, PoolFactor = new EarlyPhaseConfig().PoolFactor, Penalty = study.Penalty ?? DefaultPenalty };
}
