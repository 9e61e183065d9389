// Tests for the CIFAR-10/100 binary reader: layout of planes, labels, folders, broken files.
using SparseLab.Data;
using SparseLab.Foundations;
using TorchSharp;

namespace SparseLab.Tests.Data;

public sealed class CifarReaderTests
{
    [Fact]
    public void GivenTinyCifar10Batches_WhenReadingTrain_ThenPlanesBecomeChannelsAndBatchesConcatenateInOrder()
    {
        using var dir = new TempDir();
        DataFiles.WriteCifar10(dir.Path, perFile: 1);

        using var data = CifarReader.ReadSplit("cifar10", dir.Path, cifar100: false, train: true);

        Assert.Equal(5, data.Count);
        Assert.Equal((3, 32, 32), (data.Channels, data.Height, data.Width));
        Assert.Equal([0L, 1L, 2L, 3L, 4L], data.Labels.data<long>().ToArray());
        var pixels = data.Images.data<byte>().ToArray();   // (N, C, H, W) row-major
        foreach (var (i, ch, r, c) in new[] { (0, 0, 0, 0), (1, 1, 5, 7), (4, 2, 31, 31), (3, 2, 0, 31), (2, 0, 31, 0) })
            Assert.Equal(DataFiles.CifarPixel(i, ch, r, c), pixels[((i * 3 + ch) * 32 + r) * 32 + c]);
    }

    [Fact]
    public void GivenCifar10InTheArchiveFolder_WhenReadingTest_ThenTheSubfolderIsFound()
    {
        using var dir = new TempDir();
        string sub = Path.Combine(dir.Path, "cifar-10-batches-bin");
        Directory.CreateDirectory(sub);
        DataFiles.WriteCifar10(sub, perFile: 3);

        using var data = CifarReader.ReadSplit("cifar10", dir.Path, cifar100: false, train: false);

        Assert.Equal([9L, 8L, 7L], data.Labels.data<long>().ToArray());
        using var first = data.Images[2, 1, 4, 6];
        Assert.Equal(DataFiles.CifarPixel(102, 1, 4, 6), first.item<byte>());
    }

    [Fact]
    public void GivenCifar100Records_WhenRead_ThenTheFineLabelIsUsed()
    {
        using var dir = new TempDir();
        DataFiles.WriteRecords(dir.Combine("train.bin"), [DataFiles.CifarRecord(0, 3, 42), DataFiles.CifarRecord(1, 19, 99), DataFiles.CifarRecord(2, 0, 7)]);
        DataFiles.WriteRecords(dir.Combine("test.bin"), [DataFiles.CifarRecord(3, 1, 55)]);

        using var train = CifarReader.ReadSplit("cifar100", dir.Path, cifar100: true, train: true);
        using var test = CifarReader.ReadSplit("cifar100", dir.Path, cifar100: true, train: false);

        Assert.Equal(100, train.NumClasses);
        Assert.Equal([42L, 99L, 7L], train.Labels.data<long>().ToArray());
        Assert.Equal([55L], test.Labels.data<long>().ToArray());
        using var pixel = train.Images[1, 2, 10, 20];
        Assert.Equal(DataFiles.CifarPixel(1, 2, 10, 20), pixel.item<byte>());
    }

    [Fact]
    public void GivenATruncatedCifarFile_WhenRead_ThenTheErrorNamesFileSizeAndRecordSize()
    {
        using var dir = new TempDir();
        DataFiles.WriteCifar10(dir.Path, perFile: 2);
        string path = dir.Combine("data_batch_3.bin");
        var bytes = File.ReadAllBytes(path);
        File.WriteAllBytes(path, bytes[..^100]);

        var e = Assert.Throws<DataException>(() => CifarReader.ReadSplit("cifar10", dir.Path, cifar100: false, train: true));

        Assert.Contains(path, e.Message);
        Assert.Contains((bytes.Length - 100).ToString(), e.Message);
        Assert.Contains("3073", e.Message);
    }

    [Fact]
    public void GivenACifar10LabelOf10_WhenRead_ThenItIsRejected()
    {
        using var dir = new TempDir();
        DataFiles.WriteCifar10(dir.Path, perFile: 1);
        DataFiles.WriteRecords(dir.Combine("test_batch.bin"), [DataFiles.CifarRecord(0, 10)]);

        var e = Assert.Throws<DataException>(() => CifarReader.ReadSplit("cifar10", dir.Path, cifar100: false, train: false));

        Assert.Contains(dir.Combine("test_batch.bin"), e.Message);
        Assert.Contains("label 10", e.Message);
    }

    [Fact]
    public void GivenNoCifarFiles_WhenLoading_ThenTheErrorSaysWhereItLooked()
    {
        using var dir = new TempDir();

        var e = Assert.Throws<DataException>(() => DatasetCatalog.Load(new DataOptions("cifar100", dir.Path)));

        Assert.Contains("train.bin", e.Message);
        Assert.Contains(Path.Combine(dir.Path, "cifar-100-binary"), e.Message);
        Assert.Contains("cifar.html", e.Message);
    }
}
