// Damage done to a file the way disks, copies and killed writers do it (one
// flipped byte, a cut-short tail), and the formats SparseLab wrote before its
// files carried a SHA-256 (a safetensors header without the checksum, a
// version-2 checkpoint without the trailer), rebuilt from a file written now.
using System.Buffers.Binary;
using System.Text;
using System.Text.Json.Nodes;
using SparseLab.Foundations;

namespace SparseLab.Tests.Foundations;

internal static class DamagedFiles
{
    /// <summary>Inverts every bit of the byte at <paramref name="offset"/> (from the end when negative).</summary>
    public static void FlipByte(string path, long offset)
    {
        var bytes = File.ReadAllBytes(path);
        long at = offset < 0 ? bytes.Length + offset : offset;
        bytes[at] ^= 0xFF;
        File.WriteAllBytes(path, bytes);
    }

    public static void CutShort(string path, int bytes)
    {
        var all = File.ReadAllBytes(path);
        File.WriteAllBytes(path, all[..^bytes]);
    }

    /// <summary>Where a safetensors file's data section starts: after the 8-byte length and the header.</summary>
    public static long DataStart(string path) => 8 + (long)BinaryPrimitives.ReadUInt64LittleEndian(File.ReadAllBytes(path).AsSpan(0, 8));

    /// <summary>The safetensors header as written, parsed on its own (not by SafeTensors).</summary>
    public static JsonObject Header(string path)
    {
        var bytes = File.ReadAllBytes(path);
        return JsonNode.Parse(Encoding.UTF8.GetString(bytes, 8, (int)(DataStart(path) - 8)))!.AsObject();
    }

    /// <summary>Rewrites a safetensors file as the writer did before checksums: no sparselab.sha256, no __metadata__ when it is then empty.</summary>
    public static void WithoutChecksum(string path)
    {
        var bytes = File.ReadAllBytes(path);
        long start = DataStart(path);
        var header = Header(path);
        var meta = header["__metadata__"]!.AsObject();
        meta.Remove(SafeTensors.ChecksumKey);
        if (meta.Count == 0) header.Remove("__metadata__");
        var json = Encoding.UTF8.GetBytes(header.ToJsonString());
        int padded = (json.Length + 7) / 8 * 8;
        byte[] length = new byte[8];
        BinaryPrimitives.WriteUInt64LittleEndian(length, (ulong)padded);
        File.WriteAllBytes(path, [.. length, .. json, .. Enumerable.Repeat((byte)' ', padded - json.Length), .. bytes[(int)start..]]);
    }

    public const int CheckpointTrailer = 16 + 32;

    /// <summary>Rewrites a checkpoint as format version 2 wrote it: the same bytes without the SHA-256 trailer.</summary>
    public static void AsVersion2(string path)
    {
        var bytes = File.ReadAllBytes(path)[..^CheckpointTrailer];
        int versionAt = 1 + "SPARSELAB-CHECKPOINT".Length;   // after the magic string and its one-byte length
        Assert.Equal(3, BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(versionAt)));
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(versionAt), 2);
        File.WriteAllBytes(path, bytes);
    }
}
