// Early-phase arm random-early: for the first t* steps each batch is the B examples of the step's pool with the
// a uniformly random B of the same pool: any gain of the others comes from which examples, not from the schedule or the pool.
using SparseLab.EarlyPhase;

namespace SparseLab.Studies.Methods;

public sealed class RandomEarly : EarlySelectionArm
{
    public const string Id = "random-early";
    public override string Name => Id;
    public override string Color => "#e7298a";
    protected override string Selection => EarlySelection.Random;
}
