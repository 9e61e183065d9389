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
        "pytorch-default (what torch.nn layers do when left alone: U(±1/√fan_in) weights and biases, six times smaller in variance), " +
        "or kaiming-fan-out (the seed code's init: N(0, 2/fan_out), zero biases, the classifier N(0, 0.01²)).",
        OneOf = typeof(Initialization))]
    public string Init { get; init; } = Initialization.Default;

    [Option("Seed of the weight initialization when it should differ from --seed (re-initialized sparse scratch).")]
    public long? InitSeed { get; init; }

    [Option("Start from these weights: a run folder (its final checkpoint), RUN:NAME (e.g. RUN:init) or a .ckpt file. With a mask: sparse finetuning.",
        Value = "CHECKPOINT", Reference = ReferenceKind.Path)]
    public string? InitFrom { get; init; }

    [Option("GPT: transformer blocks.")]
    public int NLayer { get; init; } = 4;

    [Option("GPT: attention heads per block (must divide --n-embd).")]
    public int NHead { get; init; } = 4;

    [Option("GPT: embedding width.")]
    public int NEmbd { get; init; } = 128;

    [Option("GPT: context length in tokens (bytes): the model's positions and the length of every training window.")]
    public int BlockSize { get; init; } = 128;

    [Option("GPT: dropout on the embeddings, attention weights and residual branches.", Value = "P")]
    public double Dropout { get; init; }

    /// <summary>The GPT this config names (byte-level: a vocabulary of 256).</summary>
    public GptConfig Gpt => new(Data.TextCorpus.Vocabulary, BlockSize, NLayer, NHead, NEmbd, Dropout);

    public void Validate()
    {
        Check.Positive(Width, nameof(Width));
        Check.Positive(NLayer, nameof(NLayer));
        Check.Positive(NHead, nameof(NHead));
        Check.Positive(NEmbd, nameof(NEmbd));
        Check.Positive(BlockSize, nameof(BlockSize));
        Check.That(NEmbd % NHead == 0, nameof(NEmbd), $"{NEmbd} does not split into {ConfigError.Field(nameof(NHead))} {NHead} heads; use a multiple of {NHead}");
        Check.Fraction(Dropout, nameof(Dropout));
        var d = new ModelConfig();
        if (Name != ModelRegistry.LanguageModel)
        {
            foreach (var (set, field) in new[]
            {
                (NLayer != d.NLayer, nameof(NLayer)), (NHead != d.NHead, nameof(NHead)), (NEmbd != d.NEmbd, nameof(NEmbd)),
                (BlockSize != d.BlockSize, nameof(BlockSize)), (Dropout != d.Dropout, nameof(Dropout)),
            })
                Check.That(!set, field, $"only applies to --model gpt, not {Name}");
            return;
        }
        Check.That(Init == d.Init, nameof(Init), "does not apply to --model gpt: it is initialized as GPT-2 (normal 0.02, residual projections scaled by 1/√(2·n_layer))");
        Check.That(Width == d.Width, nameof(Width), "does not apply to --model gpt; set its size with --n-layer, --n-head and --n-embd");
    }
}
