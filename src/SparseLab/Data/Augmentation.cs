// CIFAR-style augmentation: random 32×32 crop from the zero-padded image and random horizontal flip.
using TorchSharp;
using static TorchSharp.torch;

namespace SparseLab.Data;

/// <summary>
/// The standard CIFAR augmentation (He et al. 2016, "Deep Residual Learning", §4.2): pad 4 pixels
/// of zeros on each side, take a random crop of the original size, flip horizontally with probability 0.5.
/// Done for the whole batch with two gathers, no per-example or per-pixel loops.
/// </summary>
public static class Augmentation
{
    public const int Padding = 4;

    /// <summary>Augments <paramref name="images"/> (B, C, H, W) in [0, 1]; draws come from <paramref name="generator"/> (CPU).</summary>
    public static Tensor CropAndFlip(Tensor images, Generator generator)
    {
        long b = images.shape[0], c = images.shape[1], h = images.shape[2], w = images.shape[3];
        var device = images.device;
        // Draws on the CPU generator, so the result does not depend on the device.
        using var offsets = torch.randint(0, 2 * Padding + 1, new[] { b, 2 }, generator: generator);   // (B, 2): dy, dx
        using var flipDraw = torch.rand(new[] { b }, generator: generator);                             // (B)
        using var flip = flipDraw.lt(0.5).unsqueeze(1).to(device);                                     // (B, 1)
        using var dy = offsets.select(1, 0).unsqueeze(1).to(device);                                   // (B, 1)
        using var dx = offsets.select(1, 1).unsqueeze(1).to(device);                                   // (B, 1)

        using var rowRange = torch.arange(h, dtype: ScalarType.Int64, device: device).unsqueeze(0);   // (1, H)
        using var colRange = torch.arange(w, dtype: ScalarType.Int64, device: device).unsqueeze(0);   // (1, W)
        using var colReversed = colRange.flip(1);
        using var rows = dy + rowRange;                                                                // (B, H)
        using var colStart = torch.where(flip, colReversed, colRange);                                // (B, W)
        using var cols = dx + colStart;                                                                // (B, W)

        using var padded = torch.nn.functional.pad(images, [Padding, Padding, Padding, Padding]);     // (B, C, H+8, W+8)
        using var rowIndex = rows.view(b, 1, h, 1).expand(b, c, h, w + 2 * Padding);
        using var cropRows = padded.gather(2, rowIndex);                                               // (B, C, H, W+8)
        using var colIndex = cols.view(b, 1, 1, w).expand(b, c, h, w);
        return cropRows.gather(3, colIndex);                                                           // (B, C, H, W)
    }
}
