// Character-level language-model data for the trainer: a byte-level corpus
// (Data/TextCorpus), training batches of seeded random windows of the block
// size, and evaluation on fixed windows. The held-out split is the corpus'
// validation split (its last 10 %): what a classifier's "test" numbers are,
// a language model's validation numbers are — loss in nats per token (byte),
// bits per character = loss / ln 2, perplexity = e^loss, and top-1 next-byte
// accuracy. Training-split numbers come from as many fixed windows as the
// validation split holds, spread evenly over the training text, so a run's
// train loss costs one validation pass, not a pass over the whole corpus.
using SparseLab.Data;
using SparseLab.Foundations;
using TorchSharp;
using static TorchSharp.torch;

namespace SparseLab.Training.Tasks;

public sealed class TextData : TrainingData
{
    /// <summary>At most this many windows per evaluation (the fortunes validation split holds about 1,950 of 128 bytes).</summary>
    public const int EvaluationWindows = 2048;

    private readonly int _block;
    private readonly int[] _validationStarts;
    private readonly int[] _trainStarts;

    /// <param name="evaluationWindows">Windows per evaluation (held-out, and as many of the training split).</param>
    public TextData(TextCorpus corpus, int blockSize, int evaluationWindows = EvaluationWindows)
    {
        Corpus = corpus;
        _block = blockSize;
        _validationStarts = TextCorpus.EvaluationStarts(corpus.Validation, blockSize, evaluationWindows);
        _trainStarts = TextCorpus.EvaluationStarts(corpus.Train, blockSize, _validationStarts.Length);
        Input = InputShape.Text(blockSize);
    }

    public static TextData Load(TrainConfig config)
    {
        Check.That(config.Model.Name == Models.ModelRegistry.LanguageModel, "Model.Name",
            $"'{config.Model.Name}' is an image classifier; the text dataset {config.Data.Dataset} trains --model {Models.ModelRegistry.LanguageModel}");
        return new TextData(DatasetCatalog.LoadText(config.Data, config.Model.BlockSize), config.Model.BlockSize);
    }

    public TextCorpus Corpus { get; }
    public override TrainingTask Task => TaskRegistry.LanguageModel;
    public override InputShape Input { get; }
    public override long TrainCount => Corpus.Train.Length / _block;
    public override long TestCount => _validationStarts.Length;

    public override (Tensor Input, Tensor Target) Batch(int batchSize, long seed, int epoch, int index, long step, Device device, IBatchPlan? plan = null)
    {
        // A curriculum's rows are the windows that tile the training text: row i starts at byte i·block (Curriculum/CurriculumExamples).
        var (x, y) = plan is null || !plan.Chooses(step)
            ? TextCorpus.Windows(Corpus.Train, batchSize, _block, seed, step)
            : TextCorpus.Gather(Corpus.Train, [.. plan.Rows(step).Select(r => checked((int)r * _block))], _block);
        return (x.to(device), y.to(device));
    }

    public override IEnumerable<(Tensor Input, Tensor Target)> ScoringBatches(int batchSize, int count, long seed, Device device) =>
        Enumerable.Range(0, count).Select(i => Batch(batchSize, seed, 0, i, i, device));

    public override Evaluation EvaluateTest(nn.Module<Tensor, Tensor> model, int batchSize, Device device) =>
        Evaluate(model, Corpus.Validation, _validationStarts, batchSize, device);

    public override bool HeldOutIsValidation => true;

    /// <summary>No third split: the held-out split (EvaluateTest) is the validation split.</summary>
    public override Evaluation? EvaluateValidation(nn.Module<Tensor, Tensor> model, int batchSize, Device device) => null;

    public override Evaluation EvaluateTrain(nn.Module<Tensor, Tensor> model, int batchSize, Device device) =>
        Evaluate(model, Corpus.Train, _trainStarts, batchSize, device);

    /// <summary>Mean next-byte loss (nats) and top-1 accuracy over every token of the windows, in eval mode, a batch of windows at a time.</summary>
    private Evaluation Evaluate(nn.Module<Tensor, Tensor> model, byte[] split, int[] starts, int batchSize, Device device)
    {
        bool wasTraining = model.training;
        model.eval();
        double lossSum = 0;
        long correct = 0, count = 0;
        var sweep = new FinalizerSweep();
        using (torch.no_grad())
        {
            for (int i = 0; i < starts.Length; i += batchSize)
            {
                using var scope = torch.NewDisposeScope();
                var (x, y) = TextCorpus.Gather(split, starts[i..Math.Min(starts.Length, i + batchSize)], _block);   // (B, T), B ≤ batch size
                var logits = model.call(x.to(device));                       // (B, T, V)
                var targets = y.to(device);
                lossSum += Loss(logits, targets, nn.Reduction.Sum).item<float>();
                correct += Hits(logits, targets);
                count += targets.numel();
                sweep.Tick();
            }
        }
        FinalizerSweep.Now();   // the last batches' Scalars too, before training goes on
        model.train(wasTraining);
        return new Evaluation(lossSum / count, (double)correct / count, null, count);
    }

    public override Curriculum.CurriculumExamples CurriculumExamples(TrainConfig config) => Curriculum.CurriculumExamples.Of(Corpus.Train, _block);

    public override Information.FisherCallback FisherCallback(TrainConfig config, Sparsity.Mask? mask) =>
        Information.FisherCallback.ForText(Corpus.Train, _block, mask, TrainingRun.FisherOptionsFor(config), config.Probes.FisherEvery!);

    /// <summary>With validation bits per character and perplexity, and the unigram model's bits per byte: the baseline val_bpc must beat.</summary>
    public override TrainingSummary Complete(TrainingSummary summary, RunEnd end) => summary with
    {
        ValBpc = LanguageMetrics.BitsPerToken(summary.TestLoss), ValPerplexity = LanguageMetrics.Perplexity(summary.TestLoss),
        UnigramBpc = Corpus.UnigramBitsPerByte(),
    };

    public override void Dispose() { }
}
