// Early-phase arm loss-early: for the first t* steps each batch is the B examples of the step's pool with the
// lowest loss first: the cheap control (one forward per pool example, no backward).
using SparseLab.EarlyPhase;

namespace SparseLab.Studies.Methods;

public sealed class LossEarly : EarlySelectionArm
{
    public const string Id = "loss-early";
    public override string Name => Id;
    public override string Color => "#7570b3";
    protected override string Selection => EarlySelection.Loss;
}
