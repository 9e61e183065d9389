// Early-phase arm fisher-early-hard: for the first t* steps each batch is the B examples of the step's pool with the
// highest true Fisher first: the opposite order, the paper's §4.2 (hardest first).
using SparseLab.EarlyPhase;

namespace SparseLab.Studies.Methods;

public sealed class FisherEarlyHard : EarlySelectionArm
{
    public const string Id = "fisher-early-hard";
    public override string Name => Id;
    public override string Color => "#d95f02";
    protected override string Selection => EarlySelection.FisherHard;
}
