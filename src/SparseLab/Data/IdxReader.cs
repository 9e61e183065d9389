// Reads IDX files (MNIST, Fashion-MNIST), gzipped or raw, into uint8 image and int64 label tensors.
using System.Buffers.Binary;
using System.IO.Compression;
using SparseLab.Foundations;
using TorchSharp;
using static TorchSharp.torch;

namespace SparseLab.Data;

/// <summary>
/// The IDX format (LeCun et al., http://yann.lecun.com/exdb/mnist/): a 4-byte magic 0x000008DD
/// (0x08 = unsigned byte, DD = number of dimensions), DD big-endian int32 sizes, then the data.
/// </summary>
public static class IdxReader
{
    public const int LabelMagic = 0x00000801;
    public const int ImageMagic = 0x00000803;

    /// <summary>Reads the train or test split of an IDX dataset found in <paramref name="dir"/>.</summary>
    /// <param name="installHint">Appended to the "file not found" message: how to get the files.</param>
    public static Dataset ReadSplit(string name, string dir, bool train, int numClasses, string installHint)
    {
        string prefix = train ? "train" : "t10k";
        string imagesPath = FindFile(name, dir, $"{prefix}-images-idx3-ubyte", installHint);
        string labelsPath = FindFile(name, dir, $"{prefix}-labels-idx1-ubyte", installHint);
        // On an error the scope frees what was read; on success the Dataset detaches its tensors from it.
        using var scope = NewDisposeScope();
        var images = ReadImages(imagesPath);
        var labels = ReadLabels(labelsPath, numClasses);
        if (images.shape[0] != labels.shape[0])
            throw new DataException(
                $"{imagesPath} holds {images.shape[0]} images but {labelsPath} holds {labels.shape[0]} labels; " +
                "the two files must come from the same release: download both again");
        return new Dataset(name, images, labels, numClasses);
    }

    /// <summary>The path of <paramref name="baseName"/>.gz or <paramref name="baseName"/> in <paramref name="dir"/>.</summary>
    public static string FindFile(string name, string dir, string baseName, string installHint)
    {
        string gz = Path.Combine(dir, baseName + ".gz");
        string raw = Path.Combine(dir, baseName);
        if (File.Exists(gz)) return gz;
        if (File.Exists(raw)) return raw;
        throw new DataException(
            $"{name}: {baseName}[.gz] not found (looked for {gz} and {raw}); {installHint}");
    }

    /// <summary>Images (N, 1, H, W) uint8 from an IDX file with magic 0x00000803.</summary>
    public static Tensor ReadImages(string path)
    {
        var (dims, pixels) = Read(path, ImageMagic);
        return torch.tensor(pixels, new[] { dims[0], 1, dims[1], dims[2] }, dtype: ScalarType.Byte);
    }

    /// <summary>Labels (N) int64 from an IDX file with magic 0x00000801, each checked to lie in [0, numClasses).</summary>
    public static Tensor ReadLabels(string path, int numClasses)
    {
        var (dims, labels) = Read(path, LabelMagic);
        int bad = Array.FindIndex(labels, l => l >= numClasses);
        if (bad >= 0)
            throw new DataException(
                $"{path}: label {labels[bad]} at index {bad} is outside [0, {numClasses}); the file is corrupt or belongs to another dataset");
        using var bytes = torch.tensor(labels, new[] { dims[0] }, dtype: ScalarType.Byte);
        return bytes.to(ScalarType.Int64);
    }

    /// <summary>The dimensions and the data bytes of an IDX file whose magic must be <paramref name="expectedMagic"/>.</summary>
    public static (long[] Dims, byte[] Data) Read(string path, int expectedMagic)
    {
        byte[] file = ReadAllBytes(path);
        int rank = expectedMagic & 0xFF;
        int header = 4 + 4 * rank;
        if (file.Length < 4)
            throw new DataException($"{path}: {file.Length} bytes is too short for an IDX file (the header alone is {header} bytes); download it again");
        int magic = BinaryPrimitives.ReadInt32BigEndian(file);
        if (magic != expectedMagic)
            throw new DataException(
                $"{path}: bad IDX magic number: expected 0x{expectedMagic:X8}, found 0x{magic:X8}; " +
                "this is not the expected IDX file (images vs labels swapped, or corrupt)");
        if (file.Length < header)
            throw new DataException($"{path}: truncated: the IDX header needs {header} bytes, found {file.Length}; download it again");

        var dims = new long[rank];
        long expected = 1;
        for (int d = 0; d < rank; d++)
        {
            dims[d] = BinaryPrimitives.ReadInt32BigEndian(file.AsSpan(4 + 4 * d));
            if (dims[d] < 0)
                throw new DataException($"{path}: dimension {d} is negative ({dims[d]}); the file is corrupt");
            expected *= dims[d];
        }
        long found = file.Length - header;
        if (found != expected)
            throw new DataException(
                $"{path}: {(found < expected ? "truncated" : "size mismatch")}: the header [{string.Join(" x ", dims)}] " +
                $"needs {expected} data bytes, found {found}; download the file again");
        return (dims, file.AsSpan(header).ToArray());
    }

    /// <summary>The file's bytes, gunzipped when it starts with the gzip magic 1f 8b (whatever its name).</summary>
    public static byte[] ReadAllBytes(string path)
    {
        try
        {
            byte[] bytes = File.ReadAllBytes(path);
            if (bytes.Length < 2 || bytes[0] != 0x1f || bytes[1] != 0x8b) return bytes;
            using var gzip = new GZipStream(new MemoryStream(bytes), CompressionMode.Decompress);
            using var output = new MemoryStream();
            gzip.CopyTo(output);
            return output.ToArray();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidDataException)
        {
            throw new DataException($"{path}: cannot read: {e.Message}", e);
        }
    }
}
