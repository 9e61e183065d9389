// The ends of a path must be the same model with the same mask; the errors
// name the first parameter or layer that differs.
using SparseLab.Foundations;
using SparseLab.Information;
using SparseLab.Sparsity;
using TorchSharp;
using static TorchSharp.torch;

namespace SparseLab.Tests.Information;

public sealed class PathCompatibilityTests
{
    [Fact]
    public void Given_two_widths_of_the_mlp_When_a_path_is_asked_for_Then_it_is_refused_as_different_models_naming_the_first_parameter()
    {
        using var data = PathTestKit.TinyData();
        using var a = PathTestKit.MlpState(1, width: 0.1);
        using var b = PathTestKit.MlpState(2, width: 0.2);
        using var scratch = PathTestKit.Mlp(3, width: 0.1);

        var e = Assert.ThrowsAny<InvalidOptionException>(() => PathCompatibility.CheckSameModel(a, b));
        Assert.Contains("different models", e.Message);
        Assert.Contains("fc1.weight", e.Message);
        var e2 = Assert.ThrowsAny<InvalidOptionException>(() => LinearPath.Evaluate(scratch, a, b, null, data, new PathOptions(), CPU));
        Assert.Contains("different models", e2.Message);
        Assert.ThrowsAny<InvalidOptionException>(() => LinearPath.Interpolate(a, b, 0.5, null));
    }

    [Fact]
    public void Given_masks_that_differ_in_one_layer_Then_they_are_refused_as_different_masks_naming_the_layer()
    {
        using var m1 = Masks(flipInFc2: false);
        using var m2 = Masks(flipInFc2: true);
        using var same = Masks(flipInFc2: false);

        PathCompatibility.CheckSameMask(m1, same, "A", "B");
        PathCompatibility.CheckSameMask(null, null, "A", "B");
        var e = Assert.ThrowsAny<InvalidOptionException>(() => PathCompatibility.CheckSameMask(m1, m2, "A", "B"));
        Assert.Contains("different masks", e.Message);
        Assert.Contains("fc2.weight", e.Message);
        Assert.DoesNotContain("fc1.weight", e.Message);
        var dense = Assert.ThrowsAny<InvalidOptionException>(() => PathCompatibility.CheckSameMask(m1, null, "A", "B"));
        Assert.Contains("different masks", dense.Message);
    }

    [Fact]
    public void Given_a_mask_for_a_layer_the_model_lacks_Then_interpolation_refuses_it()
    {
        using var a = PathTestKit.MlpState(1);
        using var b = PathTestKit.MlpState(2);
        using var mask = new Mask(new Dictionary<string, Tensor> { ["conv9.weight"] = torch.ones(3) });

        var e = Assert.ThrowsAny<InvalidOptionException>(() => LinearPath.Interpolate(a, b, 0.5, mask));
        Assert.Contains("conv9.weight", e.Message);
    }

    private static Mask Masks(bool flipInFc2)
    {
        var fc2 = torch.ones(10, 30);
        if (flipInFc2) fc2[3, 4] = torch.tensor(0f);
        return new Mask(new Dictionary<string, Tensor> { ["fc1.weight"] = torch.ones(30, 784), ["fc2.weight"] = fc2 });
    }
}
