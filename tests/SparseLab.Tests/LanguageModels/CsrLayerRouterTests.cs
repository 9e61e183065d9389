// A GPT's Linear layers on the CSR inference kernel (Inference/CsrLayerRouter)
// give libtorch's logits for the same pruned weights, and the generation
// benchmark reports identical greedy text from both.
using SparseLab.Inference;
using SparseLab.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace SparseLab.Tests.LanguageModels;

public sealed class CsrLayerRouterTests
{
    private static RoutedModule TinyGpt()
    {
        torch.manual_seed(3);
        return (RoutedModule)ModelRegistry.Create(ModelSpec.For(
            new ModelConfig { Name = "gpt", NLayer = 2, NHead = 2, NEmbd = 32, BlockSize = 16 }, SparseLab.Data.InputShape.Text(16)));
    }

    [Fact]
    public void GivenAPrunedGpt_WhenItsLinearLayersRunOnCsr_ThenTheLogitsAreLibtorchsTo1e5()
    {
        using var model = TinyGpt();
        model.eval();
        using (torch.no_grad())
            foreach (var (_, w) in SparseLab.Sparsity.PrunableParameters.Of(model)) w.mul_(torch.rand_like(w).gt(0.8));   // about 80 % zeros
        using var tokens = torch.randint(0, 256, [3, 16], dtype: ScalarType.Int64);
        using var _ = torch.no_grad();
        using var expected = model.call(tokens);
        model.Router = new CsrLayerRouter(model, threads: 1);
        using var ours = model.call(tokens);
        model.Router = null;
        Assert.Equal(expected.shape, ours.shape);
        double error = ours.sub(expected).abs().max().item<float>() / expected.abs().max().item<float>();
        Assert.True(error < 1e-5, $"max relative error {error}");
    }

    [Fact]
    public void GivenTheGenerationBenchmark_ThenBothPrunedRunsWriteTheSameTextAtTheMeasuredSparsity()
    {
        using var model = TinyGpt();
        var c = GenerationBenchmark.Measure(model, 16, sparsity: 0.9, tokens: 24, threads: 1);
        Assert.Equal(1.0, c.SameText);
        Assert.Equal(0.9, c.Sparsity, 2);
        Assert.True(c.DenseTokensPerS > 0 && c.SparseTokensPerS > 0 && c.PrunedTorchTokensPerS > 0);
        Assert.True(c.MaxRelError < 1e-5, $"max relative error {c.MaxRelError}");
    }
}
