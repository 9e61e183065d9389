// Which network a run trains and where its starting weights come from.
using SparseLab.Foundations;

namespace SparseLab.Models;

public sealed record ModelConfig : IConfigRecord
{
    [Option("The architecture.", Flag = "--model", OneOf = typeof(ModelRegistry), HashName = "Model")]
    public string Name { get; init; } = "lenet5";

    [Option("Channel multiplier for ResNets and VGGs.", Value = "X")]
    public double Width { get; init; } = 1.0;

    [Option("How Conv2d and Linear weights are drawn: kaiming-normal (He et al. 2015, N(0, 2/fan_in), zero biases), kaiming-uniform (the same variance), " +
        "or pytorch-default (what torch.nn layers do when left alone: U(±1/√fan_in) weights and biases, six times smaller in variance).",
        OneOf = typeof(Initialization))]
    public string Init { get; init; } = Initialization.Default;

    [Option("Seed of the weight initialization when it should differ from --seed (re-initialized sparse scratch).")]
    public long? InitSeed { get; init; }

    [Option("Start from these weights: a run folder (its final checkpoint), RUN:NAME (e.g. RUN:init) or a .ckpt file. With a mask: sparse finetuning.",
        Value = "CHECKPOINT", Reference = ReferenceKind.Path)]
    public string? InitFrom { get; init; }

    public void Validate() => Check.Positive(Width, nameof(Width));
}
