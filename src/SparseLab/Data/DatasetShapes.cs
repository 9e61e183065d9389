// Input shape and class count of each known dataset, without reading its files
// (for inspecting models and benchmarking on random data).
using SparseLab.Foundations;

namespace SparseLab.Data;

/// <summary>
/// One example's shape: an image (C, H, W) with its class count, or, with <paramref name="Tokens"/> above 0, a sequence
/// of that many token ids whose "classes" are the vocabulary (the next token at every position).
/// </summary>
public sealed record InputShape(int Channels, int Height, int Width, int NumClasses, int Tokens = 0)
{
    public bool IsText => Tokens > 0;

    /// <summary>A sequence of <paramref name="tokens"/> byte tokens (vocabulary 256).</summary>
    public static InputShape Text(int tokens) => new(0, 0, 0, TextCorpus.Vocabulary, tokens);

    /// <summary>One all-zero example: (1, C, H, W) in <paramref name="dtype"/>, or (1, T) int64 token ids.</summary>
    public TorchSharp.torch.Tensor Zeros(TorchSharp.torch.ScalarType dtype, TorchSharp.torch.Device device) => IsText
        ? TorchSharp.torch.zeros([1, Tokens], dtype: TorchSharp.torch.ScalarType.Int64, device: device)
        : TorchSharp.torch.zeros([1, Channels, Height, Width], dtype: dtype, device: device);
}

public static class DatasetShapes
{
    /// <param name="blockSize">The sequence length of a text dataset's examples (the model's --block-size).</param>
    public static InputShape Of(string dataset, int blockSize) => dataset switch
    {
        "fortunes" or "text" => InputShape.Text(blockSize),
        "fashion-mnist" or "mnist" or "synthetic" => new(1, 28, 28, 10),
        "cifar10" => new(3, 32, 32, 10),
        "cifar100" => new(3, 32, 32, 100),
        _ => throw ConfigError.Of(nameof(DataConfig.Dataset), $"'{dataset}' is not known; use one of: {DatasetCatalog.Names.Describe()}"),
    };
}
