// Export → infer end to end on Fashion-MNIST: the engine's accuracy equals
// libtorch's evaluation of the same weights, and its scores match libtorch's
// forward to 1e-5 relative.
using System.Globalization;
using SparseLab.Data;
using SparseLab.Inference;
using SparseLab.Tests.Cli;
using SparseLab.Training;
using static TorchSharp.torch;

namespace SparseLab.Tests.Inference;

[Trait("Category", "Slow")]
public sealed class SparseInferenceTests
{
    [Theory]
    [InlineData("lenet5", "magnitude", "0.95")]
    [InlineData("mlp", "magnitude", "0.95")]
    [InlineData("mlp", "nm:2:4", "0.5")]
    [InlineData("resnet20", "magnitude", "0.9")]    // BatchNorm folded, option-A shortcuts, global average pool
    [InlineData("vgg11", "magnitude", "0.95")]      // BatchNorm folded, ceil-mode pooling on 28x28
    public void Given_a_sparse_fashion_mnist_run_When_exported_and_inferred_Then_accuracy_equals_libtorch_evaluation(string model, string criterion, string sparsity)
    {
        using var dir = new TempDir();
        string run = dir.Combine("run"), file = dir.Combine("model.sparse.safetensors");
        var t = CliRunner.Run("train", "--dataset", "fashion-mnist", "--model", model, "--epochs", "1", "--limit-train", model == "vgg11" ? "640" : "2000", "--limit-test", "500",
            "--sparsity", sparsity, "--criterion", criterion, "--prune-at", "init", "--threads", "2", "--out", run);
        Assert.True(t.ExitCode == 0, t.Err);

        var e = CliRunner.Run("export", "--run", run, "--format", "sparse", "--out", file);
        Assert.True(e.ExitCode == 0, e.Err);
        Assert.Contains("size:", e.Out);
        if (criterion.StartsWith("nm")) Assert.Contains("fc1: nm", e.Out);
        var net = SparseNetwork.Load(file);
        long denseBytes = net.Model.DenseWeights * 4;
        Assert.True(new FileInfo(file).Length < (criterion.StartsWith("nm") ? denseBytes * 0.7 : denseBytes / 5.0), $"{new FileInfo(file).Length} bytes vs {denseBytes} dense");

        var i = CliRunner.Run("infer", "--model-file", file, "--dataset", "fashion-mnist", "--limit-test", "500", "--batch-size", "64", "--threads", "2");
        Assert.True(i.ExitCode == 0, i.Err);
        string line = i.Out.Split('\n').Single(l => l.StartsWith("accuracy: "));
        double ours = double.Parse(line["accuracy: ".Length..], CultureInfo.InvariantCulture);
        Assert.Contains("throughput:", i.Out);

        using var saved = SavedRun.Open(run);
        using var splits = DatasetCatalog.Load(new DataOptions("fashion-mnist", LimitTest: 500));
        var reference = Evaluator.Evaluate(saved.Model, splits.Test, splits.Info, 128, CPU);
        Assert.Equal(reference.Accuracy, ours);
        Assert.True(ours > 0.15, $"accuracy {ours}: the tiny run should beat chance (0.1)");

        var bench = InferBenchmark.Measure(net, batch: 3, threads: 2);   // scores against libtorch's forward, odd batch
        Assert.True(bench.MaxRelError < 1e-5, $"scores differ from libtorch by {bench.MaxRelError:E2} relative");
    }
}
