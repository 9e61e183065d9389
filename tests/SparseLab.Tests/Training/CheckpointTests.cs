// A checkpoint ends with a SHA-256 trailer checked before any weight is
// loaded: a flipped byte or a cut-short tail is refused naming the file and
// leaves the model as it was; a version-2 checkpoint (no trailer) still loads.
using System.Security.Cryptography;
using SparseLab.Foundations;
using SparseLab.Models;
using SparseLab.Sparsity;
using SparseLab.Tests.Foundations;
using SparseLab.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace SparseLab.Tests.Training;

public sealed class CheckpointTests
{
    private static nn.Module<Tensor, Tensor> Mlp(int seed)
    {
        torch.manual_seed(seed);
        return ModelRegistry.Create(new ModelSpec("mlp", 1, 28, 28, 10));
    }

    private static Dictionary<string, float[]> Weights(nn.Module model) =>
        model.state_dict().ToDictionary(kv => kv.Key, kv => kv.Value.data<float>().ToArray());

    // Saved with optimizer state and a mask, so the tail (where a cut lands) is the mask that Load never reads.
    private static (string File, Dictionary<string, float[]> Weights) Saved(TempDir dir)
    {
        using var model = Mlp(1);
        var prunable = PrunableParameters.Of(model);
        using var mask = new Mask(prunable.ToDictionary(p => p.Name, p => torch.rand(p.Weight.shape, generator: new Generator(5)).gt(0.5).to(ScalarType.Float32)));
        using var opt = OptimizerFactory.Create(new OptimizationConfig(), model.parameters());
        string file = dir.Combine("checkpoints", "final.ckpt");
        Checkpoint.Save(file, model, opt, new TrainingState(2, 20, 1.5), mask);
        return (file, Weights(model));
    }

    [Fact]
    public void Given_a_saved_checkpoint_Then_it_ends_with_the_SHA256_of_every_byte_before_and_loads_the_same_weights()
    {
        using var dir = new TempDir();
        var (file, weights) = Saved(dir);
        var bytes = File.ReadAllBytes(file);
        var trailer = bytes[^DamagedFiles.CheckpointTrailer..];
        Assert.Equal("SPARSELAB-SHA256"u8.ToArray(), trailer[..16]);
        Assert.Equal(SHA256.HashData(bytes[..^DamagedFiles.CheckpointTrailer]), trailer[16..]);

        using var model = Mlp(2);
        using var opt = OptimizerFactory.Create(new OptimizationConfig(), model.parameters());
        var (state, mask) = Checkpoint.LoadWithMask(file, model, opt);
        using var _ = mask;
        Assert.Equal(new TrainingState(2, 20, 1.5), state);
        Assert.NotNull(mask);
        Assert.Equal(weights, Weights(model));
    }

    [Theory]
    [InlineData("weight")]
    [InlineData("mask")]
    [InlineData("trailer")]
    [InlineData("cut-1")]
    [InlineData("cut-trailer")]
    [InlineData("cut-mask")]
    public void Given_a_damaged_checkpoint_Then_loading_refuses_naming_the_file_and_leaves_the_model_unchanged(string damage)
    {
        using var dir = new TempDir();
        var (file, _) = Saved(dir);
        long length = new FileInfo(file).Length;
        switch (damage)
        {
            case "weight": DamagedFiles.FlipByte(file, length / 3); break;
            case "mask": DamagedFiles.FlipByte(file, -DamagedFiles.CheckpointTrailer - 1); break;
            case "trailer": DamagedFiles.FlipByte(file, -1); break;
            case "cut-1": DamagedFiles.CutShort(file, 1); break;
            case "cut-trailer": DamagedFiles.CutShort(file, DamagedFiles.CheckpointTrailer); break;
            case "cut-mask": DamagedFiles.CutShort(file, DamagedFiles.CheckpointTrailer + 100); break;
            default: throw new ArgumentException(damage);
        }
        using var model = Mlp(2);
        var before = Weights(model);
        var e = Assert.Throws<DataException>(() => Checkpoint.Load(file, model));
        Assert.StartsWith($"checkpoint '{file}' is damaged (", e.Message);
        Assert.EndsWith("): rerun the training or restore the file", e.Message);
        Assert.Equal(before, Weights(model));
    }

    [Fact]
    public void Given_a_version_2_checkpoint_without_a_trailer_Then_it_still_loads_with_its_mask()
    {
        using var dir = new TempDir();
        var (file, weights) = Saved(dir);
        DamagedFiles.AsVersion2(file);
        using var model = Mlp(2);
        using var opt = OptimizerFactory.Create(new OptimizationConfig(), model.parameters());
        var (state, mask) = Checkpoint.LoadWithMask(file, model, opt);
        using var _ = mask;
        Assert.Equal(20, state.Step);
        Assert.NotNull(mask);
        Assert.Equal(weights, Weights(model));
        using var again = Mlp(3);
        Checkpoint.Load(file, again);
        Assert.Equal(weights, Weights(again));
    }
}
