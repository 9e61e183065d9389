// The task a config trains: inferred from its model and dataset when --task is
// not given, refused by name when --task names one the config does not fit;
// and the one cross-entropy both cross-entropy tasks use, against a naive loop.
using SparseLab.Data;
using SparseLab.Foundations;
using SparseLab.Models;
using SparseLab.Training;
using SparseLab.Training.Tasks;
using static TorchSharp.torch;

namespace SparseLab.Tests.Training;

public sealed class TaskRegistryTests
{
    private static TrainConfig Config(string model, string dataset, string? task = null) =>
        new() { Model = new ModelConfig { Name = model }, Data = new DataConfig { Dataset = dataset }, Task = task };

    [Fact]
    public void GivenNoTask_ThenTheModelAndDatasetDecide()
    {
        Assert.Same(TaskRegistry.Classification, TaskRegistry.For(Config("lenet5", "fashion-mnist")));
        Assert.Same(TaskRegistry.LanguageModel, TaskRegistry.For(Config(ModelRegistry.LanguageModel, "fortunes")));
        Assert.Same(TaskRegistry.LanguageModel, TaskRegistry.For(Config("lenet5", "fortunes")));   // then refused: a classifier on text
    }

    [Fact]
    public void GivenATaskTheConfigDoesNotFit_ThenItIsRefusedByName()
    {
        var unknown = Assert.Throws<ConfigError>(() => Config("lenet5", "fashion-mnist", "regression").Validate());
        Assert.Contains("regression", unknown.Message);
        Assert.Contains(TaskRegistry.Names.Describe(), unknown.Message);
        var gpt = Assert.Throws<ConfigError>(() => Config(ModelRegistry.LanguageModel, "fortunes", ClassificationTask.TaskName).Validate());
        Assert.Contains("not an image classifier", gpt.Message);
        var images = Assert.Throws<ConfigError>(() => Config("lenet5", "fashion-mnist", LanguageModelTask.TaskName).Validate());
        Assert.Contains("image dataset", images.Message);
    }

    [Fact]
    public void GivenTheTaskNamed_ThenTheInferredOneIsTheSameRun()
    {
        // --task at its inferred value changes nothing the config is validated against.
        Config("lenet5", "fashion-mnist", ClassificationTask.TaskName).Validate();
        Config(ModelRegistry.LanguageModel, "fortunes", LanguageModelTask.TaskName).Validate();
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void GivenLogits_ThenCrossEntropyIsTheMeanNegativeLogSoftmaxOfTheTargets(bool sequences)
    {
        manual_seed(3);
        long[] shape = sequences ? [2, 3, 5] : [4, 5];                       // (B, T, V) or (B, classes)
        var logits = randn(shape, dtype: ScalarType.Float64);
        var targets = randint(5, sequences ? [2, 3] : [4], dtype: ScalarType.Int64);
        var flat = logits.reshape(-1, 5);
        var labels = targets.reshape(-1);
        double sum = 0;
        for (int i = 0; i < flat.shape[0]; i++)
        {
            double max = flat[i].max().item<double>(), z = 0;
            for (int k = 0; k < 5; k++) z += Math.Exp(flat[i, k].item<double>() - max);
            sum -= flat[i, labels[i].item<long>()].item<double>() - max - Math.Log(z);
        }
        Assert.Equal(sum / flat.shape[0], CrossEntropy.Of(logits, targets).item<double>(), 10);
        Assert.Equal(sum, CrossEntropy.Of(logits, targets, nn.Reduction.Sum).item<double>(), 10);
    }
}
