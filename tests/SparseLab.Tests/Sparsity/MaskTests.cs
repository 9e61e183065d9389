using SparseLab.Foundations;
using SparseLab.Models;
using SparseLab.Sparsity;
using TorchSharp;
using static TorchSharp.torch;

namespace SparseLab.Tests.Sparsity;

public sealed class MaskTests
{
    [Fact]
    public void Given_values_other_than_0_and_1_Then_the_mask_is_refused()
    {
        var e = Assert.Throws<SparseLabException>(() => new Mask(new Dictionary<string, Tensor> { ["fc.weight"] = torch.tensor(new float[] { 0, 1, 0.5f }) }));
        Assert.Contains("fc.weight", e.Message);
    }

    [Fact]
    public void Given_a_mask_Then_it_counts_per_layer_and_global_sparsity()
    {
        using var mask = new Mask(new Dictionary<string, Tensor>
        {
            ["a"] = torch.tensor(new float[] { 1, 0, 0, 0 }),
            ["b"] = torch.tensor(new float[] { 0, 0, 0, 0, 1, 1 }),
        });
        Assert.Equal(0.75, mask.Layers[0].Sparsity);
        Assert.Equal(1.0 - 3.0 / 10, mask.Sparsity, 12);
        Assert.Empty(mask.CollapsedLayers);
    }

    [Fact]
    public void Given_a_saved_mask_When_loaded_Then_it_is_identical()
    {
        using var dir = new TempDir();
        torch.manual_seed(1);
        using var model = ModelRegistry.Create(new ModelSpec("lenet5", 1, 28, 28, 10));
        var prunable = PrunableParameters.Of(model);
        using var mask = new Mask(prunable.ToDictionary(p => p.Name, p => torch.rand(p.Weight.shape).gt(0.5).to(ScalarType.Float32)));
        mask.Save(dir.Combine("m.safetensors"));
        using var loaded = Mask.Load(dir.Combine("m.safetensors"));
        Assert.Equal(mask.Names, loaded.Names);
        foreach (var n in mask.Names) Assert.True(mask[n].equal(loaded[n]).all().item<bool>());
        loaded.CheckMatches(prunable, "loaded");
    }

    [Fact]
    public void Given_a_mask_for_another_model_Then_the_check_names_the_layer_and_both_shapes()
    {
        torch.manual_seed(1);
        using var lenet = ModelRegistry.Create(new ModelSpec("lenet5", 1, 28, 28, 10));
        using var wide = ModelRegistry.Create(new ModelSpec("lenet5", 1, 28, 28, 10, WidthMultiplier: 2));
        using var mask = Mask.Dense(PrunableParameters.Of(lenet).Select(p => (p.Name, (Tensor)p.Weight)));
        var e = Assert.ThrowsAny<InvalidOptionException>(() => mask.CheckMatches(PrunableParameters.Of(wide), "m.safetensors"));
        Assert.Contains("conv1.weight", e.Message);
        Assert.Contains("(6, 1, 5, 5)", e.Message);
        using var mlp = ModelRegistry.Create(new ModelSpec("mlp", 1, 28, 28, 10));
        Assert.ThrowsAny<InvalidOptionException>(() => mask.CheckMatches(PrunableParameters.Of(mlp), "m.safetensors"));
    }
}
