// Tests the batched crop-and-flip against a per-example reference built from pad, narrow and flip.
using SparseLab.Data;
using TorchSharp;
using static TorchSharp.torch;

namespace SparseLab.Tests.Data;

public sealed class AugmentationTests
{
    [Fact]
    public void GivenABatch_WhenCroppedAndFlipped_ThenEachExampleIsSomePaddedCropOrItsMirror()
    {
        using var scope = NewDisposeScope();
        using var data = BatchLoaderTests.CifarLike(12);
        var images = data.Images.to(ScalarType.Float32).div(255f);   // (B, 3, 32, 32)
        using var generator = new Generator(123);

        var augmented = Augmentation.CropAndFlip(images, generator);

        var padded = nn.functional.pad(images, [4, 4, 4, 4]);   // (B, 3, 40, 40)
        int flips = 0, shifted = 0;
        for (int i = 0; i < 12; i++)
        {
            var matches = (
                from dy in Enumerable.Range(0, 9)
                from dx in Enumerable.Range(0, 9)
                from flip in new[] { false, true }
                let crop = padded[i].narrow(1, dy, 32).narrow(2, dx, 32)
                where (flip ? crop.flip(2) : crop).equal(augmented[i]).all().item<bool>()
                select (dy, dx, flip)).ToList();
            Assert.Single(matches);
            if (matches[0].flip) flips++;
            if (matches[0] is not (4, 4, _)) shifted++;
        }
        Assert.InRange(flips, 1, 11);
        Assert.True(shifted >= 6);
    }
}
