// One step of the engine's forward pass over activations laid out
// (C, H, W, B): the batch is the innermost, contiguous dimension, so every
// sparse product streams whole batch rows and needs no gathers.
namespace SparseLab.Inference;

internal interface IStep
{
    /// <summary>Values per example after this step.</summary>
    long OutSize { get; }
    /// <summary>Scratch values per example this step needs (a convolution's unfolded input).</summary>
    long ScratchSize { get; }
    void Run(ReadOnlySpan<float> x, int batch, Span<float> y, Span<float> scratch, int threads);
}
