// The cross-entropy of a classifier's or a language model's logits: one
// formula for both, since flattening every dimension but the last turns
// (B, T, V) next-token logits into B·T predictions and leaves (B, classes)
// as it is. Mean reduction is then per example or per token.
using static TorchSharp.torch;

namespace SparseLab.Training.Tasks;

public static class CrossEntropy
{
    /// <summary>Cross-entropy of logits (…, K) against class indices (…): per example, or per token of a sequence.</summary>
    public static Tensor Of(Tensor logits, Tensor targets, nn.Reduction reduction = nn.Reduction.Mean) =>
        nn.functional.cross_entropy(logits.reshape(-1, logits.shape[^1]), targets.reshape(-1), reduction: reduction);
}
