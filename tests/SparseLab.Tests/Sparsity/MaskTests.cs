using SparseLab.Foundations;
using SparseLab.Models;
using SparseLab.Sparsity;
using SparseLab.Tests.Foundations;
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

    private static string SavedMask(TempDir dir)
    {
        string f = dir.Combine("m.safetensors");
        using var mask = new Mask(new Dictionary<string, Tensor>
        {
            ["fc1.weight"] = torch.tensor(new float[] { 1, 0, 0, 1, 1, 0 }).reshape(2, 3),
            ["fc2.weight"] = torch.tensor(new float[] { 0, 1 }),
        });
        mask.Save(f);
        return f;
    }

    [Fact]
    public void Given_a_saved_mask_Then_it_carries_a_checksum_and_a_flipped_or_cut_short_copy_is_refused_naming_the_file()
    {
        using var dir = new TempDir();
        string f = SavedMask(dir);
        Assert.Matches("^[0-9a-f]{64}$", DamagedFiles.Header(f)["__metadata__"]![SafeTensors.ChecksumKey]!.GetValue<string>());
        var good = File.ReadAllBytes(f);
        foreach (var damage in new Action[] { () => DamagedFiles.FlipByte(f, DamagedFiles.DataStart(f) + 1), () => DamagedFiles.CutShort(f, 2) })
        {
            File.WriteAllBytes(f, good);
            damage();
            var e = Assert.Throws<DataException>(() => Mask.Load(f));
            Assert.Contains($"'{f}' is damaged (SHA-256 mismatch", e.Message);
        }
    }

    [Fact]
    public void Given_a_mask_saved_before_checksums_Then_it_loads()
    {
        using var dir = new TempDir();
        string f = SavedMask(dir);
        DamagedFiles.WithoutChecksum(f);
        Assert.DoesNotContain(SafeTensors.ChecksumKey, File.ReadAllText(f));
        using var mask = Mask.Load(f);
        Assert.Equal(["fc1.weight", "fc2.weight"], mask.Names);
        Assert.Equal(new float[] { 1, 0, 0, 1, 1, 0 }, mask["fc1.weight"].data<float>().ToArray());
    }

    [Fact]
    public void Given_a_mask_file_naming_a_layer_twice_Then_it_is_refused_naming_the_file_and_the_key()
    {
        // Found by probing: this failed with "unexpected failure: An item with the same key has already been added".
        using var dir = new TempDir();
        string f = dir.Combine("dup.safetensors");
        var h = System.Text.Encoding.UTF8.GetBytes(
            "{\"masks.fc.weight\":{\"dtype\":\"U8\",\"shape\":[2],\"data_offsets\":[0,2]},\"masks.fc.weight\":{\"dtype\":\"U8\",\"shape\":[2],\"data_offsets\":[2,4]}}");
        File.WriteAllBytes(f, [.. BitConverter.GetBytes((ulong)h.Length), .. h, 1, 0, 0, 1]);
        var e = Assert.Throws<DataException>(() => Mask.Load(f));
        Assert.Contains($"'{f}'", e.Message);
        Assert.Contains("names 'masks.fc.weight' twice", e.Message);
    }

    [Theory]
    [InlineData(0.5f, "0.5")]
    [InlineData(float.NaN, "NaN")]
    [InlineData(2f, "2")]
    public void Given_a_mask_file_with_a_value_other_than_0_and_1_Then_it_is_refused_naming_the_file_the_layer_and_the_value(float value, string shown)
    {
        using var dir = new TempDir();
        string f = dir.Combine("m.safetensors");
        SafeTensors.Write(f, [("masks.fc.weight", torch.tensor(new float[] { 1, 0, value }))]);
        var e = Assert.Throws<DataException>(() => Mask.Load(f));
        Assert.Contains($"mask '{f}': layer 'fc.weight' holds values other than 0 and 1 (e.g. {shown})", e.Message);
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
