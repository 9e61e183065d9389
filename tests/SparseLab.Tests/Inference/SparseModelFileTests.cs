// The sparse model file: a round trip keeps every weight, and each kind of
// corruption is refused with a DataException that says what is wrong, before
// any computation.
using System.Runtime.InteropServices;
using System.Text.Json.Nodes;
using SparseLab.Foundations;
using SparseLab.Inference;
using SparseLab.Tests.Foundations;

namespace SparseLab.Tests.Inference;

public sealed class SparseModelFileTests
{
    // flatten → fc1 (8 → 8, 2:4) + ReLU → fc2 (8 → 3, CSR with an empty row) on a 1x2x4 input.
    internal static SparseModel Tiny()
    {
        var rng = new Random(5);
        var w1 = KernelTests.Random(64, rng);
        for (int g = 0; g < 64; g += 4) { w1[g + 1] = 0; w1[g + 3] = 0; }
        var w2 = KernelTests.Random(24, rng, keep: 0.5);
        for (int j = 0; j < 8; j++) w2[8 + j] = 0;
        var info = new SparseModelInfo(1, "mlp", "synthetic", 1.0, [1, 2, 4], 3, [0.5f], [0.25f],
        [
            new("flatten"),
            new("linear", "fc1", In: 8, Out: 8, Layout: "nm", Relu: true, N: 2, M: 4),
            new("linear", "fc2", In: 8, Out: 3, Layout: "csr"),
        ]);
        return new SparseModel(info, new Dictionary<string, WeightedLayer>
        {
            ["fc1"] = new(NmMatrix.TryFromDense(w1, 8, 8)!, KernelTests.Random(8, rng)),
            ["fc2"] = new(CsrMatrix.FromDense(w2, 3, 8), KernelTests.Random(3, rng)),
        });
    }

    [Fact]
    public void Given_a_model_When_written_and_read_Then_weights_layouts_and_metadata_survive()
    {
        using var dir = new TempDir();
        string f = dir.Combine("m.safetensors");
        var model = Tiny();
        SparseModelFile.Write(f, model);
        var back = SparseModelFile.Read(f);
        Assert.Equal(model.Info.Layers, back.Info.Layers, (a, b) => a.Op == b.Op && a.Name == b.Name && a.Layout == b.Layout && a.In == b.In && a.Out == b.Out);
        foreach (var name in new[] { "fc1", "fc2" })
        {
            Assert.Equal(model.Layers[name].Weight.ToDense(), back.Layers[name].Weight.ToDense());
            Assert.Equal(model.Layers[name].Bias, back.Layers[name].Bias);
            Assert.Equal(model.Layers[name].Weight.Layout, back.Layers[name].Weight.Layout);
        }
        var raw = SafeTensors.ReadRaw(f);
        Assert.Equal("U16", raw.Tensors["fc2.weight.col_idx"].DType);   // the narrowest index type
        Assert.Equal("U16", raw.Tensors["fc2.weight.row_ptr"].DType);
    }

    [Fact]
    public void Given_a_model_file_Then_it_carries_a_checksum_and_a_damaged_copy_is_refused_naming_the_file()
    {
        using var dir = new TempDir();
        string f = dir.Combine("m.safetensors");
        SparseModelFile.Write(f, Tiny());
        Assert.Matches("^[0-9a-f]{64}$", DamagedFiles.Header(f)["__metadata__"]![SafeTensors.ChecksumKey]!.GetValue<string>());
        var good = File.ReadAllBytes(f);
        foreach (var damage in new Action[]
        {
            () => DamagedFiles.FlipByte(f, DamagedFiles.DataStart(f) + 3),   // a weight
            () => DamagedFiles.FlipByte(f, -1),                              // the last bias byte
            () => DamagedFiles.CutShort(f, 4),
        })
        {
            File.WriteAllBytes(f, good);
            damage();
            var e = Assert.Throws<DataException>(() => SparseModelFile.Read(f));
            Assert.Contains($"'{f}' is damaged (SHA-256 mismatch", e.Message);
        }
    }

    [Fact]
    public void Given_a_model_file_written_before_checksums_Then_it_reads_the_same_weights()
    {
        using var dir = new TempDir();
        string f = dir.Combine("m.safetensors");
        var model = Tiny();
        SparseModelFile.Write(f, model);
        DamagedFiles.WithoutChecksum(f);
        Assert.DoesNotContain(SafeTensors.ChecksumKey, File.ReadAllText(f));
        var back = SparseModelFile.Read(f);
        foreach (var name in new[] { "fc1", "fc2" })
            Assert.Equal(model.Layers[name].Weight.ToDense(), back.Layers[name].Weight.ToDense());
    }

    [Fact]
    public void Given_a_model_When_run_by_the_engine_Then_scores_match_the_dense_computation()
    {
        var model = Tiny();
        var net = new SparseNetwork(model);
        var rng = new Random(9);
        const int batch = 5;
        var x = KernelTests.Random(8 * batch, rng);   // (8, B)
        var h = KernelTests.Naive(model.Layers["fc1"].Weight.ToDense(), 8, 8, x, batch, model.Layers["fc1"].Bias, relu: true);
        var expected = KernelTests.Naive(model.Layers["fc2"].Weight.ToDense(), 3, 8, h, batch, model.Layers["fc2"].Bias, relu: false);
        var y = net.Forward(x, batch, threads: 2).ToArray();
        for (int i = 0; i < expected.Length; i++) Assert.Equal(expected[i], y[i], 1e-5f);
    }

    [Theory]
    [InlineData("truncated", "is damaged (SHA-256 mismatch")]
    [InlineData("no-metadata", "no 'sparselab_inference' metadata")]
    [InlineData("bad-json", "not valid JSON")]
    [InlineData("col-out-of-range", "outside the 8 columns")]
    [InlineData("row-ptr-not-monotone", "not monotone")]
    [InlineData("row-ptr-start", "starts at 1")]
    [InlineData("row-ptr-end", "nonzeros")]
    [InlineData("row-ptr-length", "row_ptr' has shape (3); expected (4)")]
    [InlineData("values-length", "col_idx has")]
    [InlineData("bias-length", "fc2.bias")]
    [InlineData("missing-tensor", "'fc2.weight.values' is missing")]
    [InlineData("wrong-dtype", "expected F32")]
    [InlineData("nm-offset", "outside its group")]
    [InlineData("nm-shape", "the metadata needs (8, 4)")]
    [InlineData("inputs-mismatch", "takes 7 inputs but receives 8")]
    [InlineData("classes-mismatch", "the model has 4 classes")]
    [InlineData("unknown-op", "op 'softmax' is not known")]
    [InlineData("unknown-layout", "layout 'coo'")]
    [InlineData("shortcut-without-save", "a shortcut without a saved input")]
    [InlineData("save-never-closed", "never closed by add_shortcut")]
    public void Given_a_corrupt_model_file_Then_reading_refuses_it_with_a_clear_error(string kind, string mentions)
    {
        using var dir = new TempDir();
        string f = dir.Combine("bad.safetensors");
        Corrupt(f, kind);
        var e = Assert.Throws<DataException>(() => SparseNetwork.Load(f));
        Assert.Contains(mentions, e.Message);
    }

    internal static void Corrupt(string path, string kind)
    {
        SparseModelFile.Write(path, Tiny());
        if (kind == "truncated")
        {
            var bytes = File.ReadAllBytes(path);
            File.WriteAllBytes(path, bytes[..(bytes.Length - 10)]);
            return;
        }
        var raw = SafeTensors.ReadRaw(path);
        var tensors = raw.Tensors.ToDictionary(kv => kv.Key, kv => kv.Value);
        var meta = JsonNode.Parse(raw.Metadata[SparseModelInfo.MetadataKey])!.AsObject();
        var layers = meta["layers"]!.AsArray();
        static RawTensor Ints(int[] v, string dtype = "I32") => new(dtype, [v.Length], MemoryMarshal.AsBytes(v.AsSpan()).ToArray());
        int[] RowPtr() => [.. MemoryMarshal.Cast<byte, ushort>(tensors["fc2.weight.row_ptr"].Data.Span).ToArray().Select(v => (int)v)];
        int[] ColIdx() => [.. MemoryMarshal.Cast<byte, ushort>(tensors["fc2.weight.col_idx"].Data.Span).ToArray().Select(v => (int)v)];
        switch (kind)
        {
            case "no-metadata": meta = null; break;
            case "bad-json": break;
            case "col-out-of-range": { var c = ColIdx(); c[^1] = 8; tensors["fc2.weight.col_idx"] = Ints(c); break; }
            case "row-ptr-not-monotone": { var r = RowPtr(); r[1] = r[3] + 1; r[2] = r[3] - 1; tensors["fc2.weight.row_ptr"] = Ints(r); break; }
            case "row-ptr-start": { var r = RowPtr(); r[0] = 1; tensors["fc2.weight.row_ptr"] = Ints(r); break; }
            case "row-ptr-end": { var r = RowPtr(); r[3] -= 1; tensors["fc2.weight.row_ptr"] = Ints(r); break; }
            case "row-ptr-length": { var r = RowPtr(); tensors["fc2.weight.row_ptr"] = Ints(r[..3]); break; }
            case "values-length": { var v = tensors["fc2.weight.values"]; tensors["fc2.weight.values"] = new("F32", [v.Shape[0] - 1], v.Data[..^4]); break; }
            case "bias-length": tensors["fc2.bias"] = new("F32", [2], new byte[8]); break;
            case "missing-tensor": tensors.Remove("fc2.weight.values"); break;
            case "wrong-dtype": { var v = tensors["fc2.weight.values"]; tensors["fc2.weight.values"] = v with { DType = "I32" }; break; }
            case "nm-offset": { var o = tensors["fc1.weight.offsets"].Data.ToArray(); o[1] = 4; tensors["fc1.weight.offsets"] = new("U8", [8, 4], o); break; }
            case "nm-shape": { var o = tensors["fc1.weight.offsets"]; tensors["fc1.weight.offsets"] = new("U8", [4, 8], o.Data); break; }
            case "inputs-mismatch": layers[2]!["in"] = 7; break;
            case "classes-mismatch": meta["classes"] = 4; break;
            case "unknown-op": layers.Add(new JsonObject { ["op"] = "softmax" }); break;
            case "unknown-layout": layers[2]!["layout"] = "coo"; break;
            case "shortcut-without-save": layers.Insert(0, new JsonObject { ["op"] = "add_shortcut", ["in"] = 8, ["out"] = 8, ["stride"] = new JsonArray(1, 1) }); break;
            case "save-never-closed": layers.Insert(0, new JsonObject { ["op"] = "save" }); break;
            default: throw new ArgumentException(kind);
        }
        var metadata = new Dictionary<string, string>();
        if (meta is not null) metadata[SparseModelInfo.MetadataKey] = kind == "bad-json" ? "{\"format\": 1, \"layers\": [" : meta.ToJsonString();
        SafeTensors.WriteRaw(path, tensors.Select(kv => (kv.Key, kv.Value)), metadata);
    }
}
