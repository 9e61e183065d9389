// Memorization under label noise on a hand-made case where every fraction is
// known: a "model" that predicts the class written in each image's pixel, so
// the predictions are chosen by hand; and label noise keeps the true labels of
// the examples it flips.
using SparseLab.Data;
using SparseLab.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace SparseLab.Tests.Training;

public sealed class MemorizationTests
{
    private static readonly DatasetInfo Info = new("hand", 1, 1, 1, 3, [0f], [1f], Augment: false);

    /// <summary>Logits one-hot at the class stored in the image's single pixel (the loader gives pixel / 255).</summary>
    private sealed class PixelClass() : nn.Module<Tensor, Tensor>("pixel_class")
    {
        public override Tensor forward(Tensor x) =>
            nn.functional.one_hot(x.flatten(1)[.., 0].mul(255).round().to(ScalarType.Int64), 3).to(ScalarType.Float32);
    }

    private static Dataset Images(long[] pixels, long[] labels) =>
        new("hand", torch.tensor(pixels).to(ScalarType.Byte).view(pixels.Length, 1, 1, 1), torch.tensor(labels), 3);

    [Fact]
    public void GivenFourFlippedAndFiveCleanExamples_WhenMeasured_ThenTheFractionsAreTheHandCounts()
    {
        // Flipped: true 0, 1, 2, 0; noisy 1, 2, 0, 2; predicted 1 (memorized), 1 (generalized), 2 (generalized), 1 (neither).
        var noisy = Images([1, 1, 2, 1], [1, 2, 0, 2]);
        // Clean: labels 0, 1, 2, 0, 1; predicted 0, 1, 0, 0, 2: 3 of 5 right.
        var clean = Images([0, 1, 0, 0, 2], [0, 1, 2, 0, 1]);
        using var noise = new NoisyLabels(noisy, clean, Images([0], [0]), torch.tensor(new long[] { 0, 1, 2, 0 }));

        var m = Memorization.Measure(new PixelClass(), noise, Info, batchSize: 3, CPU);

        Assert.Equal(0.25, m.Memorized, 12);
        Assert.Equal(0.5, m.Generalized, 12);
        Assert.Equal(0.6, m.CleanAccuracy, 12);
        Assert.Equal(4, m.Flipped);
        Assert.Equal(5, m.Clean);
    }

    [Fact]
    public void GivenPredictions_WhenFractionsAreTaken_ThenMemorizedAndGeneralizedCountTheirMatches()
    {
        var (memorized, generalized) = Memorization.Fractions(torch.tensor(new long[] { 2, 2, 0, 1, 1 }),
            noisyLabels: torch.tensor(new long[] { 2, 2, 2, 0, 0 }), trueLabels: torch.tensor(new long[] { 1, 0, 0, 1, 2 }));
        Assert.Equal(0.4, memorized, 12);       // examples 0 and 1
        Assert.Equal(0.4, generalized, 12);     // examples 2 and 3
    }

    [Fact]
    public void GivenLabelNoise_WhenApplied_ThenTheTrueLabelsOfTheFlippedExamplesAreKeptAndEachDiffersFromItsNoisyLabel()
    {
        using var scope = NewDisposeScope();
        var labels = torch.arange(20).remainder(3);
        using var train = new Dataset("hand", torch.arange(20).to(ScalarType.Byte).view(20, 1, 1, 1), labels, 3);

        using var noise = LabelNoise.Apply(train, 0.4, seed: 5);

        Assert.Equal(8, noise.Noisy.Count);
        var pixels = noise.Noisy.Images.flatten().to(ScalarType.Int64);                 // pixel = the example's row
        Assert.True(noise.TrueLabels.eq(labels.index_select(0, pixels)).all().item<bool>());
        Assert.False(noise.TrueLabels.eq(noise.Noisy.Labels).any().item<bool>());
    }

    private sealed class Silent : ITrainingObserver;

    [Fact]
    public void GivenARunWithLabelNoise_WhenItFinishes_ThenSummaryJsonRecordsCleanMemorizedAndGeneralized()
    {
        using var dir = new TempDir();
        var config = TrainingRunTests.Tiny() with { Data = TrainingRunTests.Tiny().Data with { LabelNoise = 0.25 } };

        var o = TrainingRun.Execute(config, dir.Combine("run"), resume: false, new Silent());

        var summary = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(o.Run.SummaryFile))!;
        double memorized = (double)summary["memorized_fraction"]!, generalized = (double)summary["generalized_fraction"]!;
        Assert.Equal((double)summary["train_accuracy_noisy"]!, memorized);      // the older name, the same number
        Assert.InRange((double)summary["train_accuracy_clean"]!, 0.2, 1.0);
        Assert.InRange(memorized + generalized, 0, 1);                          // a flipped example's noisy and true labels differ
        Assert.True(generalized > memorized, $"after 2 epochs the net should predict the true label more often: {generalized} vs {memorized}");
    }
}
