// Early-phase arm fisher-early: for the first t* steps each batch is the B examples of the step's pool with the
// lowest true Fisher first under the current weights: the seed's proposal (control the Fisher explosion by training on low-Fisher examples early).
using SparseLab.EarlyPhase;

namespace SparseLab.Studies.Methods;

public sealed class FisherEarly : EarlySelectionArm
{
    public const string Id = "fisher-early";
    public override string Name => Id;
    public override string Color => "#1b9e77";
    protected override string Selection => EarlySelection.Fisher;
}
