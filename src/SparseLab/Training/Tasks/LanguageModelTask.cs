// Byte-level language modelling: a text corpus (fortunes, or --text FILE) and
// the GPT, next-byte cross-entropy; methods rank by validation loss. Its
// recipe (LanguageModelRecipe) goes beneath the options given, and the
// options it cannot serve yet are refused by name (TextOnly).
using SparseLab.Data;
using SparseLab.Foundations;
using SparseLab.Models;
using static TorchSharp.torch;

namespace SparseLab.Training.Tasks;

public sealed class LanguageModelTask : TrainingTask
{
    public const string TaskName = "language-model";

    public override string Name => TaskName;

    public override bool Claims(TrainConfig config) =>
        DatasetCatalog.IsText(config.Data.Dataset) || config.Model.Name == ModelRegistry.LanguageModel;

    public override TrainConfig Recipe => LanguageModelRecipe.Defaults;

    public override string Subject(TrainConfig config) => $"the text dataset {config.Data.Dataset}";

    public override void Refuse(TrainConfig config)
    {
        base.Refuse(config);
        Check.That(DatasetCatalog.IsText(config.Data.Dataset), "Data.Dataset",
            $"{config.Data.Dataset} is an image dataset, and --task {TaskName} (the language model {ModelRegistry.LanguageModel}) trains on text: use --dataset fortunes, or --dataset text --text FILE");
        TextOnly.Check(config);
    }

    public override TrainingData Load(TrainConfig config, bool labelNoise) => TextData.Load(config);

    /// <summary>As many fixed validation windows as asked (at most TextData.EvaluationWindows), and as many training ones.</summary>
    public override TrainingData LoadEvaluation(TrainConfig config, long examples) =>
        new TextData(DatasetCatalog.LoadText(config.Data, config.Model.BlockSize), config.Model.BlockSize, (int)Math.Min(examples, TextData.EvaluationWindows));

    public override Tensor Loss(Tensor output, Tensor target, nn.Reduction reduction = nn.Reduction.Mean) =>
        CrossEntropy.Of(output, target, reduction);

    public override bool RanksByLoss => true;

    public override string StudyMetric => "loss";

    public override string Describe(EpochMetrics m) =>
        $"train loss {m.TrainLoss:F4} | val loss {m.Test.Loss:F4} bpc {LanguageMetrics.BitsPerToken(m.Test.Loss):F4} " +
        $"perplexity {LanguageMetrics.Perplexity(m.Test.Loss):F3} next-byte acc {m.Test.Accuracy:F4}";

    public override string Headline(EpochMetrics m) => $"val bpc {LanguageMetrics.BitsPerToken(m.Test.Loss):F4}";

    /// <summary>Validation bits per character and perplexity (the held-out split is the validation split).</summary>
    public override IReadOnlyDictionary<string, double> Extra(EpochMetrics m) => new Dictionary<string, double>
    {
        ["val_bpc"] = LanguageMetrics.BitsPerToken(m.Validation!.Loss), ["val_perplexity"] = LanguageMetrics.Perplexity(m.Validation!.Loss),
    };
}
