// SET (Mocanu et al. 2018): grow at random among the inactive positions.
using static TorchSharp.torch;

namespace SparseLab.Schedules;

public sealed class SetSchedule(UpdateWindow window, double dropFraction, double sparsity) : DropAndGrowSchedule(window, dropFraction, sparsity)
{
    public override string Name => "set";

    protected override Tensor GrowScores(MaskUpdateRequest request, string layer, Tensor weight, Generator generator) =>
        rand(weight.shape, generator: generator, device: weight.device);
}
