// Test helpers: writers for tiny IDX and CIFAR files in their exact binary formats.
using System.Buffers.Binary;
using System.IO.Compression;

namespace SparseLab.Tests.Data;

internal static class DataFiles
{
    /// <summary>Writes an IDX file: magic, big-endian int32 dims, data; gzipped if asked.</summary>
    public static void WriteIdx(string path, int magic, int[] dims, byte[] data, bool gzip)
    {
        using var buffer = new MemoryStream();
        Span<byte> word = stackalloc byte[4];
        BinaryPrimitives.WriteInt32BigEndian(word, magic);
        buffer.Write(word);
        foreach (int d in dims)
        {
            BinaryPrimitives.WriteInt32BigEndian(word, d);
            buffer.Write(word);
        }
        buffer.Write(data);
        byte[] bytes = buffer.ToArray();
        if (gzip)
        {
            using var file = System.IO.File.Create(path);
            using var zip = new GZipStream(file, CompressionLevel.Fastest);
            zip.Write(bytes);
        }
        else
        {
            System.IO.File.WriteAllBytes(path, bytes);
        }
    }

    /// <summary>Pixel value of image i at (row, col) in the tiny IDX sets: distinct and easy to recompute.</summary>
    public static byte IdxPixel(int i, int row, int col) => (byte)((i * 31 + row * 7 + col * 3) % 256);

    /// <summary>Writes a full IDX split (images n×h×w and labels) under the standard names.</summary>
    public static void WriteIdxSplit(string dir, string prefix, byte[] labels, int h, int w, bool gzip)
    {
        int n = labels.Length;
        var pixels = new byte[n * h * w];
        for (int i = 0; i < n; i++)
            for (int r = 0; r < h; r++)
                for (int c = 0; c < w; c++)
                    pixels[(i * h + r) * w + c] = IdxPixel(i, r, c);
        string ext = gzip ? ".gz" : "";
        WriteIdx(System.IO.Path.Combine(dir, $"{prefix}-images-idx3-ubyte{ext}"), 0x803, [n, h, w], pixels, gzip);
        WriteIdx(System.IO.Path.Combine(dir, $"{prefix}-labels-idx1-ubyte{ext}"), 0x801, [n], labels, gzip);
    }

    /// <summary>Pixel of CIFAR record i, channel ch, at (row, col): distinct per channel and position.</summary>
    public static byte CifarPixel(int i, int ch, int row, int col) => (byte)((i * 50 + ch * 80 + row * 5 + col) % 256);

    /// <summary>One CIFAR record: label byte(s), then the R, G, B planes of 32×32 row-major pixels.</summary>
    public static byte[] CifarRecord(int i, params byte[] labelBytes)
    {
        var record = new byte[labelBytes.Length + 3072];
        labelBytes.CopyTo(record, 0);
        for (int ch = 0; ch < 3; ch++)
            for (int r = 0; r < 32; r++)
                for (int c = 0; c < 32; c++)
                    record[labelBytes.Length + ch * 1024 + r * 32 + c] = CifarPixel(i, ch, r, c);
        return record;
    }

    public static void WriteRecords(string path, IEnumerable<byte[]> records) =>
        System.IO.File.WriteAllBytes(path, records.SelectMany(r => r).ToArray());

    /// <summary>A tiny CIFAR-10 folder: each of the 5 training batches and the test batch hold `perFile` records.</summary>
    public static void WriteCifar10(string dir, int perFile)
    {
        int i = 0;
        for (int b = 1; b <= 5; b++)
            WriteRecords(System.IO.Path.Combine(dir, $"data_batch_{b}.bin"),
                Enumerable.Range(0, perFile).Select(_ => { int k = i++; return CifarRecord(k, (byte)(k % 10)); }).ToList());
        WriteRecords(System.IO.Path.Combine(dir, "test_batch.bin"),
            Enumerable.Range(0, perFile).Select(k => CifarRecord(100 + k, (byte)(9 - k % 10))).ToList());
    }
}
