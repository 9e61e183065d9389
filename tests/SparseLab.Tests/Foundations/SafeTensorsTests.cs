using System.Text;
using SparseLab.Foundations;
using TorchSharp;
using static TorchSharp.torch;

namespace SparseLab.Tests.Foundations;

public sealed class SafeTensorsTests
{
    [Fact]
    public void Given_tensors_of_several_dtypes_When_written_and_read_Then_they_round_trip()
    {
        using var dir = new TempDir();
        string f = dir.Combine("t.safetensors");
        var a = torch.randn(3, 4);
        var b = torch.tensor(new long[] { 1, -2, 3 });
        var c = torch.tensor(new byte[] { 0, 1, 1, 0 }, [2, 2]);
        SafeTensors.Write(f, [("a", a), ("b", b), ("masks.c", c)], new Dictionary<string, string> { ["model"] = "x" });
        var read = SafeTensors.Read(f);
        Assert.Equal(a.shape, read["a"].shape);
        Assert.True(read["a"].equal(a).all().item<bool>());
        Assert.True(read["b"].equal(b).all().item<bool>());
        Assert.True(read["masks.c"].equal(c).all().item<bool>());
        Assert.Equal(ScalarType.Byte, read["masks.c"].dtype);
    }

    [Fact]
    public void Given_a_file_written_by_hand_to_the_spec_Then_it_reads()
    {
        // Independent of the writer: header {"x":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}} then two floats.
        using var dir = new TempDir();
        string f = dir.Combine("h.safetensors");
        byte[] header = Encoding.UTF8.GetBytes("{\"x\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}}");
        var bytes = BitConverter.GetBytes((ulong)header.Length).Concat(header).Concat(BitConverter.GetBytes(1.5f)).Concat(BitConverter.GetBytes(-2f)).ToArray();
        File.WriteAllBytes(f, bytes);
        Assert.Equal(new[] { 1.5f, -2f }, SafeTensors.Read(f)["x"].data<float>().ToArray());
    }

    [Theory]
    [InlineData("short", "fewer than the 8-byte")]
    [InlineData("header-too-long", "header claims")]
    [InlineData("not-json", "not a JSON object")]
    [InlineData("offset-outside", "outside")]
    [InlineData("size-mismatch", "need")]
    public void Given_a_corrupt_file_Then_a_data_error_names_it_and_the_problem(string kind, string mentions)
    {
        using var dir = new TempDir();
        string f = dir.Combine(kind + ".safetensors");
        byte[] Make(string json, int dataBytes)
        {
            var h = Encoding.UTF8.GetBytes(json);
            return [.. BitConverter.GetBytes((ulong)h.Length), .. h, .. new byte[dataBytes]];
        }
        byte[] content = kind switch
        {
            "short" => [1, 2, 3],
            "header-too-long" => [.. BitConverter.GetBytes(1000UL), 1, 2],
            "not-json" => Make("[1,2", 0),
            "offset-outside" => Make("{\"x\":{\"dtype\":\"F32\",\"shape\":[4],\"data_offsets\":[0,16]}}", 8),
            "size-mismatch" => Make("{\"x\":{\"dtype\":\"F32\",\"shape\":[3],\"data_offsets\":[0,8]}}", 8),
            _ => throw new ArgumentException(kind),
        };
        File.WriteAllBytes(f, content);
        var e = Assert.Throws<DataException>(() => SafeTensors.Read(f));
        Assert.Contains(f, e.Message);
        Assert.Contains(mentions, e.Message);
    }
}
