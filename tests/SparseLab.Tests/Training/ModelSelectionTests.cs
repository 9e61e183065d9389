// Model selection from a run's epoch log: the best-by-validation epoch (the
// first on a tie) and its test numbers, and the best test accuracy of any
// epoch (the seed code's save_best), from a hand-written metrics.jsonl.
using SparseLab.Training;

namespace SparseLab.Tests.Training;

public sealed class ModelSelectionTests
{
    private static TrainingSummary Summary() => new()
    {
        Model = "mlp", Dataset = "synthetic", Seed = 1, Epochs = 4, Steps = 40, TestAccuracy = 0.80, TestLoss = 0.6,
        TrainAccuracy = 0.99, TrainLoss = 0.01, Params = 10, TrainExamples = 100, TestExamples = 50, WallSeconds = 1,
    };

    [Fact]
    public void Given_an_epoch_log_with_validation_Then_the_best_validation_epoch_and_its_test_numbers_are_recorded()
    {
        using var dir = new TempDir();
        string file = dir.Combine("metrics.jsonl");
        File.WriteAllLines(file,
        [
            """{"event":"epoch","epoch":1,"test_accuracy":0.70,"test_loss":0.9,"val_accuracy":0.71}""",
            """{"event":"fisher","epoch":1,"fisher_true":3.0}""",
            """{"event":"epoch","epoch":2,"test_accuracy":0.84,"test_loss":0.5,"val_accuracy":0.80}""",
            """{"event":"epoch","epoch":3,"test_accuracy":0.82,"test_loss":0.55,"val_accuracy":0.80}""",
            """{"event":"epoch","epoch":4,"test_accuracy":0.80,"test_loss":0.6,"val_accuracy":0.78}""",
        ]);
        var s = ModelSelection.Apply(Summary(), file, languageModel: false);
        Assert.Equal(2, s.BestValEpoch);                 // epochs 2 and 3 tie at 0.80: the earlier one
        Assert.Equal(0.80, s.BestValAccuracy);
        Assert.Equal(0.84, s.BestValTestAccuracy);
        Assert.Equal(0.5, s.BestValTestLoss);
        Assert.Equal(0.84, s.BestTestAccuracy);
        Assert.Equal(0.80, s.TestAccuracy);              // the final numbers stay the final epoch's
    }

    [Fact]
    public void Given_an_epoch_log_without_validation_Then_only_the_best_test_accuracy_is_recorded()
    {
        using var dir = new TempDir();
        string file = dir.Combine("metrics.jsonl");
        File.WriteAllLines(file,
        [
            """{"event":"epoch","epoch":1,"test_accuracy":0.70,"test_loss":0.9}""",
            """{"event":"epoch","epoch":2,"test_accuracy":0.75,"test_loss":0.8}""",
        ]);
        var s = ModelSelection.Apply(Summary(), file, languageModel: false);
        Assert.Null(s.BestValEpoch);
        Assert.Null(s.BestValTestAccuracy);
        Assert.Equal(0.75, s.BestTestAccuracy);
    }
}
