// Every safetensors file SparseLab writes carries the SHA-256 of itself (its
// own 64 digits read as zeros) in __metadata__; a flipped byte anywhere or a
// cut-short tail is refused naming the file, and a file from before the
// checksum still reads. Repeated header keys and a data section longer than
// the tensors are refused too.
using System.Security.Cryptography;
using System.Text;
using SparseLab.Foundations;
using TorchSharp;

namespace SparseLab.Tests.Foundations;

public sealed class SafeTensorsChecksumTests
{
    private static string Written(TempDir dir)
    {
        string f = dir.Combine("t.safetensors");
        SafeTensors.Write(f, [("a", torch.arange(12, dtype: torch.float32).reshape(3, 4)), ("masks.b", torch.tensor(new byte[] { 0, 1, 1, 0 }))],
            new Dictionary<string, string> { ["model"] = "x" });
        return f;
    }

    [Fact]
    public void Given_a_written_file_Then_its_header_holds_the_SHA256_of_the_file_with_those_digits_zeroed()
    {
        using var dir = new TempDir();
        string f = Written(dir);
        string checksum = DamagedFiles.Header(f)["__metadata__"]![SafeTensors.ChecksumKey]!.GetValue<string>();
        Assert.Matches("^[0-9a-f]{64}$", checksum);
        // Computed another way: the file's text with the digits replaced, hashed whole.
        var bytes = File.ReadAllBytes(f);
        var zeroed = Encoding.Latin1.GetBytes(Encoding.Latin1.GetString(bytes).Replace(checksum, new string('0', 64)));
        Assert.Equal(checksum, Convert.ToHexStringLower(SHA256.HashData(zeroed)));

        var raw = SafeTensors.ReadRaw(f);
        Assert.Equal(new Dictionary<string, string> { ["model"] = "x" }, raw.Metadata);   // the checksum is the file's, not the caller's
        Assert.Equal(Enumerable.Range(0, 12).Select(i => (float)i), SafeTensors.Read(f)["a"].data<float>().ToArray());
    }

    [Theory]
    [InlineData("data")]
    [InlineData("last")]
    [InlineData("dtype")]
    [InlineData("metadata")]
    public void Given_one_flipped_byte_Then_reading_refuses_naming_the_file(string where)
    {
        using var dir = new TempDir();
        string f = Written(dir);
        var bytes = File.ReadAllBytes(f);
        string text = Encoding.Latin1.GetString(bytes);
        switch (where)
        {
            case "data": bytes[DamagedFiles.DataStart(f) + 5] ^= 0xFF; break;
            case "last": bytes[^1] ^= 0xFF; break;
            case "dtype": bytes[text.IndexOf("\"F32\"", StringComparison.Ordinal) + 1] = (byte)'I'; break;   // F32 → I32: same size, would read silently
            case "metadata": bytes[text.IndexOf("\"x\"", StringComparison.Ordinal) + 1] = (byte)'y'; break;
            default: throw new ArgumentException(where);
        }
        File.WriteAllBytes(f, bytes);
        var e = Assert.Throws<DataException>(() => SafeTensors.Read(f));
        Assert.Contains($"'{f}' is damaged (SHA-256 mismatch", e.Message);
        Assert.Throws<DataException>(() => SafeTensors.ReadRaw(f));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    public void Given_a_file_cut_short_at_its_tail_Then_reading_refuses_naming_the_file(int cut)
    {
        using var dir = new TempDir();
        string f = Written(dir);
        DamagedFiles.CutShort(f, cut);
        var e = Assert.Throws<DataException>(() => SafeTensors.ReadRaw(f));
        Assert.Contains($"'{f}' is damaged", e.Message);
    }

    [Fact]
    public void Given_a_file_written_before_checksums_Then_it_reads_and_a_cut_short_one_is_still_refused()
    {
        using var dir = new TempDir();
        string f = Written(dir);
        DamagedFiles.WithoutChecksum(f);
        Assert.DoesNotContain(SafeTensors.ChecksumKey, File.ReadAllText(f));
        var read = SafeTensors.Read(f);
        Assert.Equal(new byte[] { 0, 1, 1, 0 }, read["masks.b"].data<byte>().ToArray());
        Assert.Equal("x", SafeTensors.ReadRaw(f).Metadata["model"]);

        DamagedFiles.CutShort(f, 1);
        var e = Assert.Throws<DataException>(() => SafeTensors.Read(f));
        Assert.Contains($"'{f}'", e.Message);
        Assert.Contains("cut short", e.Message);
    }

    [Theory]
    [InlineData("{\"x\":{\"dtype\":\"U8\",\"shape\":[2],\"data_offsets\":[0,2]},\"x\":{\"dtype\":\"U8\",\"shape\":[2],\"data_offsets\":[2,4]}}", 4, "the header names 'x' twice")]
    [InlineData("{\"__metadata__\":{\"k\":\"1\",\"k\":\"2\"},\"x\":{\"dtype\":\"U8\",\"shape\":[2],\"data_offsets\":[0,2]}}", 2, "__metadata__ names 'k' twice")]
    [InlineData("{\"x\":{\"dtype\":\"U8\",\"shape\":[2],\"data_offsets\":[0,2]}}", 3, "its data section has 3 bytes but its tensors end at byte 2")]
    [InlineData("[1,2]", 0, "the header is not a JSON object (it is a JSON array)")]
    [InlineData("{\"__metadata__\":{\"k\":1},\"x\":{\"dtype\":\"U8\",\"shape\":[2],\"data_offsets\":[0,2]}}", 2, "metadata 'k' is not a string")]
    public void Given_a_header_that_readers_could_take_two_ways_Then_it_is_refused_naming_the_file(string json, int dataBytes, string mentions)
    {
        using var dir = new TempDir();
        string f = dir.Combine("h.safetensors");
        var h = Encoding.UTF8.GetBytes(json);
        File.WriteAllBytes(f, [.. BitConverter.GetBytes((ulong)h.Length), .. h, .. new byte[dataBytes]]);
        var e = Assert.Throws<DataException>(() => SafeTensors.ReadRaw(f));
        Assert.Contains($"'{f}'", e.Message);
        Assert.Contains(mentions, e.Message);
    }
}
