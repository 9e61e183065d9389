// Reads the CIFAR-10 and CIFAR-100 binary versions into uint8 (N, 3, 32, 32) images and int64 labels.
using SparseLab.Foundations;
using TorchSharp;
using static TorchSharp.torch;

namespace SparseLab.Data;

/// <summary>
/// The binary format of https://www.cs.toronto.edu/~kriz/cifar.html: fixed-size records of label
/// byte(s) followed by 3072 pixel bytes, the red plane, then green, then blue, each 32×32 row-major,
/// which is already (C, H, W) order. CIFAR-100 records carry a coarse and a fine label; we use the fine one.
/// </summary>
public static class CifarReader
{
    public const int PixelBytes = 3 * 32 * 32;

    private static readonly string[] Cifar10Train = ["data_batch_1.bin", "data_batch_2.bin", "data_batch_3.bin", "data_batch_4.bin", "data_batch_5.bin"];
    private static readonly string[] Cifar10Test = ["test_batch.bin"];
    private static readonly string[] Cifar100Train = ["train.bin"];
    private static readonly string[] Cifar100Test = ["test.bin"];

    /// <summary>Reads the train or test split of CIFAR-10 (<paramref name="cifar100"/> false) or CIFAR-100.</summary>
    public static Dataset ReadSplit(string name, string dir, bool cifar100, bool train)
    {
        string[] files = (cifar100, train) switch
        {
            (false, true) => Cifar10Train,
            (false, false) => Cifar10Test,
            (true, true) => Cifar100Train,
            (true, false) => Cifar100Test,
        };
        string subdir = cifar100 ? "cifar-100-binary" : "cifar-10-batches-bin";
        string root = FindDirectory(name, dir, subdir, files);
        int labelBytes = cifar100 ? 2 : 1;
        int numClasses = cifar100 ? 100 : 10;

        var parts = files.Select(f => ReadFile(Path.Combine(root, f), labelBytes, numClasses)).ToList();
        long n = parts.Sum(p => p.Labels.LongLength);
        var pixels = new byte[n * PixelBytes];
        var labels = new long[n];
        long offset = 0;
        foreach (var (p, l) in parts)
        {
            Array.Copy(p, 0, pixels, offset * PixelBytes, p.LongLength);
            Array.Copy(l, 0, labels, offset, l.LongLength);
            offset += l.LongLength;
        }
        using var scope = NewDisposeScope();
        return new Dataset(name,
            torch.tensor(pixels, new[] { n, 3L, 32L, 32L }, dtype: ScalarType.Byte),
            torch.tensor(labels, new[] { n }, dtype: ScalarType.Int64),
            numClasses);
    }

    /// <summary>
    /// Pixels (N × 3072, already C, H, W) and labels of one binary file; the label is the last
    /// of the <paramref name="labelBytes"/> leading bytes (CIFAR-100: coarse, then fine).
    /// </summary>
    public static (byte[] Pixels, long[] Labels) ReadFile(string path, int labelBytes, int numClasses)
    {
        byte[] file;
        try
        {
            file = File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new DataException($"{path}: cannot read: {e.Message}", e);
        }
        int record = labelBytes + PixelBytes;
        if (file.Length == 0 || file.Length % record != 0)
            throw new DataException(
                $"{path}: truncated or not a CIFAR binary file: its size {file.Length} bytes is not a positive multiple " +
                $"of the record size {record} bytes ({labelBytes} label byte(s) + {PixelBytes} pixels); download it again");

        int n = file.Length / record;
        var pixels = new byte[(long)n * PixelBytes];
        var labels = new long[n];
        for (int i = 0; i < n; i++)
        {
            int start = i * record;
            byte label = file[start + labelBytes - 1];
            if (label >= numClasses)
                throw new DataException(
                    $"{path}: record {i} has label {label}, outside [0, {numClasses}); the file is corrupt or belongs to the other CIFAR");
            labels[i] = label;
            Array.Copy(file, start + labelBytes, pixels, (long)i * PixelBytes, PixelBytes);
        }
        return (pixels, labels);
    }

    // The files may sit in DIR itself or in the folder the official archive unpacks to.
    private static string FindDirectory(string name, string dir, string subdir, string[] files)
    {
        string[] candidates = [dir, Path.Combine(dir, subdir)];
        foreach (var candidate in candidates)
            if (files.All(f => File.Exists(Path.Combine(candidate, f))))
                return candidate;

        var missing = files.Where(f => !File.Exists(Path.Combine(dir, f))).ToList();
        throw new DataException(
            $"{name}: {string.Join(", ", missing)} not found (looked in {dir} and {Path.Combine(dir, subdir)}); " +
            $"download the binary version from https://www.cs.toronto.edu/~kriz/cifar.html, unpack it there, " +
            "or pass --data-dir DIR / set SPARSELAB_DATA");
    }
}
