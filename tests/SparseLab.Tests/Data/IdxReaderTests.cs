// Tests for the IDX reader: round trips, and the error for each kind of broken file.
using SparseLab.Data;
using SparseLab.Foundations;
using TorchSharp;

namespace SparseLab.Tests.Data;

public sealed class IdxReaderTests
{
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void GivenIdxFiles_WhenReadingASplit_ThenPixelsAndLabelsRoundTrip(bool gzip)
    {
        using var dir = new TempDir();
        byte[] labels = [3, 0, 9, 1, 7];
        DataFiles.WriteIdxSplit(dir.Path, "train", labels, h: 4, w: 6, gzip);

        using var data = IdxReader.ReadSplit("mnist", dir.Path, train: true, numClasses: 10, installHint: "hint");

        Assert.Equal(5, data.Count);
        Assert.Equal((1, 4, 6), (data.Channels, data.Height, data.Width));
        Assert.Equal(labels.Select(l => (long)l), data.Labels.data<long>().ToArray());
        var pixels = data.Images.data<byte>().ToArray();
        for (int i = 0; i < 5; i++)
            for (int r = 0; r < 4; r++)
                for (int c = 0; c < 6; c++)
                    Assert.Equal(DataFiles.IdxPixel(i, r, c), pixels[(i * 4 + r) * 6 + c]);
    }

    [Fact]
    public void GivenAGzippedFileWithoutTheGzSuffix_WhenRead_ThenItIsDetectedByItsMagic()
    {
        using var dir = new TempDir();
        string path = dir.Combine("labels");
        DataFiles.WriteIdx(path, 0x801, [3], [1, 2, 3], gzip: true);

        using var labels = IdxReader.ReadLabels(path, 10);

        Assert.Equal([1L, 2L, 3L], labels.data<long>().ToArray());
    }

    [Fact]
    public void GivenALabelFileWhereImagesAreExpected_WhenRead_ThenTheErrorShowsBothMagicsInHex()
    {
        using var dir = new TempDir();
        string path = dir.Combine("train-images-idx3-ubyte");
        DataFiles.WriteIdx(path, 0x801, [3], [1, 2, 3], gzip: false);

        var e = Assert.Throws<DataException>(() => IdxReader.ReadImages(path));

        Assert.Contains(path, e.Message);
        Assert.Contains("0x00000803", e.Message);
        Assert.Contains("0x00000801", e.Message);
    }

    [Fact]
    public void GivenATruncatedImageFile_WhenRead_ThenTheErrorGivesExpectedAndFoundBytes()
    {
        using var dir = new TempDir();
        string path = dir.Combine("train-images-idx3-ubyte.gz");
        DataFiles.WriteIdx(path, 0x803, [2, 3, 3], new byte[17], gzip: true);

        var e = Assert.Throws<DataException>(() => IdxReader.ReadImages(path));

        Assert.Contains(path, e.Message);
        Assert.Contains("truncated", e.Message);
        Assert.Contains("18", e.Message);
        Assert.Contains("17", e.Message);
    }

    [Fact]
    public void GivenMoreImagesThanLabels_WhenReadingASplit_ThenBothFilesAreNamed()
    {
        using var dir = new TempDir();
        DataFiles.WriteIdxSplit(dir.Path, "t10k", [1, 2, 3], h: 2, w: 2, gzip: false);
        DataFiles.WriteIdx(dir.Combine("t10k-labels-idx1-ubyte"), 0x801, [2], [1, 2], gzip: false);

        var e = Assert.Throws<DataException>(() => IdxReader.ReadSplit("mnist", dir.Path, train: false, 10, "hint"));

        Assert.Contains("3 images", e.Message);
        Assert.Contains("2 labels", e.Message);
        Assert.Contains(dir.Combine("t10k-labels-idx1-ubyte"), e.Message);
    }

    [Fact]
    public void GivenALabelOutOfRange_WhenRead_ThenTheErrorNamesTheValueAndIndex()
    {
        using var dir = new TempDir();
        string path = dir.Combine("train-labels-idx1-ubyte");
        DataFiles.WriteIdx(path, 0x801, [4], [0, 9, 10, 1], gzip: false);

        var e = Assert.Throws<DataException>(() => IdxReader.ReadLabels(path, 10));

        Assert.Contains(path, e.Message);
        Assert.Contains("label 10 at index 2", e.Message);
    }

    [Fact]
    public void GivenNoFashionMnistFiles_WhenLoading_ThenTheErrorSaysWhereItLookedAndHowToInstall()
    {
        using var dir = new TempDir();

        var e = Assert.Throws<DataException>(() => DatasetCatalog.Load(new DataOptions("fashion-mnist", dir.Path)));

        Assert.Contains(dir.Combine("train-images-idx3-ubyte.gz"), e.Message);
        Assert.Contains("sudo apt-get install dataset-fashion-mnist", e.Message);
    }

    [Fact]
    public void GivenNoMnistFiles_WhenLoading_ThenTheErrorSaysWhereToPutThem()
    {
        using var dir = new TempDir();

        var e = Assert.Throws<DataException>(() => DatasetCatalog.Load(new DataOptions("mnist", dir.Path)));

        Assert.Contains(dir.Path, e.Message);
        Assert.DoesNotContain("apt-get", e.Message);
        Assert.Contains("t10k-labels-idx1-ubyte", e.Message);
    }
}
