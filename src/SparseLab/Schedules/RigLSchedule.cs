// RigL (Evci et al. 2020, Algorithm 1): grow where the dense gradient is
// largest in magnitude. The dense gradient is read only on update steps,
// before the mask enforcer zeroes it at pruned positions.
using SparseLab.Foundations;
using static TorchSharp.torch;

namespace SparseLab.Schedules;

public sealed class RigLSchedule(UpdateWindow window, double dropFraction, double sparsity) : DropAndGrowSchedule(window, dropFraction, sparsity)
{
    public override string Name => "rigl";
    public override bool NeedsDenseGradient => true;

    protected override Tensor GrowScores(MaskUpdateRequest request, string layer, Tensor weight, Generator generator) =>
        request.DenseGradients?.GetValueOrDefault(layer)
        ?? throw new SparseLabException($"RigL needs the dense gradient of '{layer}' at step {request.Step}, and none was captured");
}
