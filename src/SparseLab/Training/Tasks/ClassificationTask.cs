// Image classification: a labelled image dataset (Fashion-MNIST, CIFAR, ...)
// and a classifier, cross-entropy, accuracy. The default task: every config
// that is not a language model's or a denoiser's.
using SparseLab.Foundations;
using SparseLab.Models;
using static TorchSharp.torch;

namespace SparseLab.Training.Tasks;

public sealed class ClassificationTask : TrainingTask
{
    public const string TaskName = "classification";

    public override string Name => TaskName;

    public override bool Claims(TrainConfig config) => true;

    public override void Refuse(TrainConfig config)
    {
        base.Refuse(config);
        Check.That(ModelRegistry.Classifiers.Contains(config.Model.Name) || !ModelRegistry.Names.Contains(config.Model.Name), "Model.Name",
            $"'{config.Model.Name}' is not an image classifier; --task {TaskName} trains one of: {ModelRegistry.Classifiers.Describe()}");
    }

    public override bool ClassifiesImages => true;

    public override TrainingData Load(TrainConfig config, bool labelNoise) => ImageData.Load(config, labelNoise);

    public override Tensor Loss(Tensor output, Tensor target, nn.Reduction reduction = nn.Reduction.Mean) =>
        CrossEntropy.Of(output, target, reduction);
}
