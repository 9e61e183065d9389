// What a data curriculum orders and how each of its examples is scored: the
// training images (ExampleScorer), or a language model's windows — the
// non-overlapping windows of --block-size bytes that tile the training text,
// window i starting at byte i·block (TextData draws a curriculum's rows as
// those windows). A window's label is 0: text has no classes to balance.
using SparseLab.Data;
using SparseLab.Information;
using SparseLab.Sparsity;
using SparseLab.Sparsity.Criteria;
using TorchSharp;
using static TorchSharp.torch;

namespace SparseLab.Curriculum;

public abstract class CurriculumExamples
{
    public abstract long Count { get; }

    /// <summary>Each example's class (the score files carry it, so a file scored on other data is refused).</summary>
    public abstract long[] Labels { get; }

    public abstract int Classes { get; }

    public abstract double[] Score(string kind, nn.Module<Tensor, Tensor> model, Mask? mask, int batchSize, int draws, long seed, Device device);

    public static CurriculumExamples Of(Dataset train, DatasetInfo info) => new Images(train, info);

    public static CurriculumExamples Of(byte[] train, int blockSize) => new Windows(train, blockSize);

    private sealed class Images(Dataset train, DatasetInfo info) : CurriculumExamples
    {
        private readonly long[] _labels = train.Labels.data<long>().ToArray();
        public override long Count => train.Count;
        public override long[] Labels => _labels;
        public override int Classes => info.NumClasses;

        public override double[] Score(string kind, nn.Module<Tensor, Tensor> model, Mask? mask, int batchSize, int draws, long seed, Device device) =>
            ExampleScorer.Score(kind, model, train, info, mask, batchSize, draws, seed, device);
    }

    /// <summary>Scores per window: the per-sequence Fisher (true or empirical, Information/SequenceFisher), the mean next-byte loss, or noise.</summary>
    private sealed class Windows(byte[] train, int blockSize) : CurriculumExamples
    {
        /// <summary>The score kinds a window has.</summary>
        public static readonly string[] Kinds = ["fisher-true", "fisher-empirical", "loss", "random"];

        private readonly long[] _labels = new long[(train.Length - 1) / blockSize];
        public override long Count => _labels.Length;
        public override long[] Labels => _labels;
        public override int Classes => Data.TextCorpus.Vocabulary;

        public override double[] Score(string kind, nn.Module<Tensor, Tensor> model, Mask? mask, int batchSize, int draws, long seed, Device device)
        {
            int n = _labels.Length;
            switch (kind)
            {
                case "random":
                    return ExampleScorer.Random(n, seed);
                case "fisher-true" or "fisher-empirical":
                    var (_, trueScores, empirical) = SequenceFisher.Scores(model, train, blockSize, mask, new FisherOptions(n, draws, batchSize, seed), device);
                    return kind == "fisher-true" ? trueScores : empirical;
                case "loss":
                    return Losses(model, batchSize, device);
                default:
                    throw new ArgumentException($"score kind '{kind}' has no form for text windows; use one of: {string.Join(", ", Kinds)}", nameof(kind));
            }
        }

        /// <summary>Each window's mean next-byte cross-entropy (nats), in eval mode (a sparse run's weights are already masked, as for images).</summary>
        private double[] Losses(nn.Module<Tensor, Tensor> model, int batchSize, Device device)
        {
            using var guard = new ModelStateGuard(model);
            model.eval();
            var scores = new double[_labels.Length];
            for (int b = 0; b < scores.Length; b += batchSize)
            {
                using var scope = torch.NewDisposeScope();
                using var noGrad = torch.no_grad();
                int size = Math.Min(batchSize, scores.Length - b);
                var (x, y) = TextCorpus.Gather(train, [.. Enumerable.Range(b, size).Select(i => i * blockSize)], blockSize);
                var logits = model.call(x.to(device)).to(ScalarType.Float64);                  // (B, T, V)
                var loss = nn.functional.cross_entropy(logits.reshape(-1, logits.shape[^1]), y.to(device).reshape(-1), reduction: nn.Reduction.None)
                    .reshape(size, -1).mean([1]);                                                 // (B)
                loss.cpu().data<double>().ToArray().CopyTo(scores, b);
            }
            return scores;
        }
    }

    /// <summary>The score kinds a text window has (the others score images only).</summary>
    public static IReadOnlyList<string> TextKinds => Windows.Kinds;
}
