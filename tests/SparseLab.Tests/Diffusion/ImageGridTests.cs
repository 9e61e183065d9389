// The sample grid: each image's pixels land in its cell (row k / n, column
// k % n), gaps and empty cells are background, −1 → 0 and 1 → 255 (clamped
// beyond), upscaling repeats pixels, and the PNG decodes back to the same
// pixels. A failed write leaves nothing behind.
using SkiaSharp;
using SparseLab.Diffusion;
using SparseLab.Foundations;
using TorchSharp;
using static TorchSharp.torch;

namespace SparseLab.Tests.Diffusion;

public sealed class ImageGridTests
{
    /// <summary>Images in [−1, 1] whose pixels are exactly the given bytes: v = p / 127.5 − 1.</summary>
    private static Tensor FromBytes(Tensor bytes) => bytes.to(ScalarType.Float32) / 127.5f - 1;

    /// <summary>(B, 1, H, W) bytes: image k's pixel (i, j) is 40 k + 10 i + j, so every pixel of every image is distinct.</summary>
    private static Tensor NumberedBytes(long b, long h, long w) =>
        (40 * torch.arange(b).view(b, 1, 1, 1) + 10 * torch.arange(h).view(1, 1, h, 1) + torch.arange(w).view(1, 1, 1, w))
        .to(ScalarType.Byte);

    [Fact]
    public void GivenFiveGreyImages_WhenTiled_ThenEachImageSitsInItsCellAndGapsAreBackground()
    {
        using var scope = torch.NewDisposeScope();
        var bytes = NumberedBytes(5, 3, 4);                                     // (5, 1, 3, 4)
        var grid = ImageGrid.Tile(FromBytes(bytes), background: 7);             // 3 columns (⌈√5⌉), 2 rows
        Assert.Equal([2 * (3 + 2) - 2, 3 * (4 + 2) - 2, 3L], grid.shape);
        var expected = torch.full(8, 16, 3, 7, ScalarType.Byte);
        for (int k = 0; k < 5; k++)
        {
            int top = k / 3 * 5, left = k % 3 * 6;
            Assert.Equal(40 * k, grid[top, left, 0].item<byte>());              // image k's top-left pixel
            expected[TensorIndex.Slice(top, top + 3), TensorIndex.Slice(left, left + 4)] = bytes[k, 0].unsqueeze(-1).expand(3, 4, 3);
        }
        Assert.True(grid.eq(expected).all().item<bool>(), "pixels outside the images (gaps, the sixth cell) are background, the images are in place");
        Assert.Equal(7, grid[3, 0, 0].item<byte>());                            // a gap row
        Assert.Equal(7, grid[0, 4, 0].item<byte>());                            // a gap column
    }

    [Fact]
    public void GivenColumnsAndAScale_WhenTiled_ThenEachPixelBecomesABlockInTheChosenLayout()
    {
        using var scope = torch.NewDisposeScope();
        var bytes = NumberedBytes(3, 2, 2);                                     // (3, 1, 2, 2)
        var grid = ImageGrid.Tile(FromBytes(bytes), columns: 1, gap: 1, scale: 2);
        Assert.Equal([3 * (4 + 1) - 1, 4, 3L], grid.shape);
        for (int k = 0; k < 3; k++)
            for (int i = 0; i < 4; i++)
                for (int j = 0; j < 4; j++)
                    Assert.Equal(bytes[k, 0, i / 2, j / 2].item<byte>(), grid[k * 5 + i, j, 1].item<byte>());
        Assert.True(grid[4].eq(ImageGrid.DefaultBackground).all().item<bool>());
    }

    [Fact]
    public void GivenValuesAtAndBeyondTheRange_WhenTiled_ThenMinusOneIsZeroOneIs255AndTheRestIsClamped()
    {
        using var scope = torch.NewDisposeScope();
        var values = torch.tensor(new float[] { -1, 1, 0, -3, 2, float.NaN }).view(1, 1, 1, 6);
        var grid = ImageGrid.Tile(values);
        Assert.Equal(new byte[] { 0, 255, 128, 0, 255, 128 }, grid[0, TensorIndex.Colon, 0].data<byte>().ToArray());
    }

    [Fact]
    public void GivenAColourImage_WhenTiled_ThenItsChannelsAreRedGreenBlue()
    {
        using var scope = torch.NewDisposeScope();
        var image = torch.tensor(new float[] { -1, 0, 1 }).view(1, 3, 1, 1);
        Assert.Equal(new byte[] { 0, 128, 255 }, ImageGrid.Tile(image)[0, 0].data<byte>().ToArray());
    }

    [Fact]
    public void GivenATinyGridOfKnownImages_WhenWrittenAsPng_ThenItDecodesToTheSamePixels()
    {
        using var scope = torch.NewDisposeScope();
        using var dir = new TempDir();
        // Four 2×2 RGB images: image k is one colour, (50 k, 255 − 50 k, 10 k); gap 2 → a 6×6 PNG.
        var bytes = torch.stack(Enumerable.Range(0, 4).Select(k =>
            torch.tensor(new byte[] { (byte)(50 * k), (byte)(255 - 50 * k), (byte)(10 * k) }).view(3, 1, 1).expand(3, 2, 2)).ToArray());
        string path = dir.Combine("samples.png");
        ImageGrid.Write(path, FromBytes(bytes));
        using var decoded = SKBitmap.Decode(path);
        Assert.Equal(6, decoded.Width);
        Assert.Equal(6, decoded.Height);
        for (int k = 0; k < 4; k++)
            for (int i = 0; i < 2; i++)
                for (int j = 0; j < 2; j++)
                    Assert.Equal(new SKColor((byte)(50 * k), (byte)(255 - 50 * k), (byte)(10 * k)), decoded.GetPixel(k % 2 * 4 + j, k / 2 * 4 + i));
        Assert.Equal(new SKColor(255, 255, 255), decoded.GetPixel(2, 0));      // the gap
        Assert.Equal(new SKColor(255, 255, 255), decoded.GetPixel(0, 3));
    }

    [Fact]
    public void GivenAFolderInTheWay_WhenWriting_ThenItFailsNamingThePathAndLeavesNoFileBehind()
    {
        using var scope = torch.NewDisposeScope();
        using var dir = new TempDir();
        string path = dir.Combine("samples.png");
        Directory.CreateDirectory(path);
        var e = Assert.Throws<OutputWriteException>(() => ImageGrid.Write(path, torch.zeros(1, 1, 2, 2)));
        Assert.Equal(path, e.Target);
        Assert.Equal([path], Directory.GetFileSystemEntries(dir.Path));
    }

    [Fact]
    public void GivenTwoChannels_WhenTiled_ThenItIsRefused()
    {
        using var scope = torch.NewDisposeScope();
        Assert.Throws<ArgumentException>(() => ImageGrid.Tile(torch.zeros(1, 2, 4, 4)));
        Assert.Throws<ArgumentOutOfRangeException>(() => ImageGrid.Tile(torch.zeros(1, 1, 4, 4), columns: 0));
    }
}
