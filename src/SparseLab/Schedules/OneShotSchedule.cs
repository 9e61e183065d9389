// The trivial schedule: the mask chosen before training (--sparsity with a
// criterion, or --mask-from) stays fixed for the whole run.
namespace SparseLab.Schedules;

public sealed class OneShotSchedule(double sparsity) : MaskSchedule
{
    public override string Name => "none";
    public override double StartSparsity => sparsity;
    public override bool UpdatesAt(long step) => false;
    public override IReadOnlyList<LayerUpdate> Update(MaskUpdateRequest request) => [];
}
