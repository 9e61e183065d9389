// Reads and writes the safetensors format (Hugging Face): an 8-byte
// little-endian header length, a JSON header mapping each name to its dtype,
// shape and [begin, end) byte offsets into the data that follows. Python loads
// these files with `safetensors.torch.load_file`. The reader checks every
// offset and size before touching the data, so a corrupt file is an error,
// never an out-of-bounds read. The raw layer (RawTensor) serves readers that
// want bytes without libtorch, e.g. the sparse inference engine, and dtypes
// TorchSharp lacks (U16).
using System.Buffers.Binary;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using TorchSharp;
using static TorchSharp.torch;

namespace SparseLab.Foundations;

/// <summary>One tensor as stored: dtype code ("F32", "U16", ...), shape and its little-endian bytes.</summary>
public sealed record RawTensor(string DType, long[] Shape, ReadOnlyMemory<byte> Data)
{
    public long Count => Shape.Aggregate(1L, (a, d) => checked(a * d));
}

/// <summary>A whole file read as bytes: tensors in header order and the __metadata__ strings.</summary>
public sealed record RawSafeTensors(IReadOnlyDictionary<string, RawTensor> Tensors, IReadOnlyDictionary<string, string> Metadata);

public static class SafeTensors
{
    private static readonly Dictionary<ScalarType, string> TorchCodes = new()
    {
        [ScalarType.Float32] = "F32", [ScalarType.Float64] = "F64", [ScalarType.Int64] = "I64",
        [ScalarType.Int32] = "I32", [ScalarType.Byte] = "U8", [ScalarType.Bool] = "BOOL",
    };

    private static readonly Dictionary<string, int> Sizes = new(StringComparer.Ordinal)
    {
        ["F32"] = 4, ["F64"] = 8, ["I64"] = 8, ["I32"] = 4, ["U16"] = 2, ["U8"] = 1, ["BOOL"] = 1,
    };

    public static void Write(string path, IEnumerable<(string Name, Tensor Value)> tensors, IReadOnlyDictionary<string, string>? metadata = null) =>
        WriteRaw(path, tensors.Select(t =>
        {
            using var cpu = t.Value.detach().cpu().contiguous();
            if (!TorchCodes.TryGetValue(cpu.dtype, out var code))
                throw new SparseLabException($"safetensors: tensor '{t.Name}' has dtype {cpu.dtype}, which this writer does not support");
            return (t.Name, new RawTensor(code, cpu.shape, cpu.bytes.ToArray()));
        }), metadata);

    public static void WriteRaw(string path, IEnumerable<(string Name, RawTensor Value)> tensors, IReadOnlyDictionary<string, string>? metadata = null)
    {
        var header = new JsonObject();
        if (metadata is { Count: > 0 })
            header["__metadata__"] = new JsonObject(metadata.Select(kv => KeyValuePair.Create(kv.Key, (JsonNode?)kv.Value)));
        var blobs = new List<ReadOnlyMemory<byte>>();
        long offset = 0;
        foreach (var (name, value) in tensors)
        {
            if (!Sizes.TryGetValue(value.DType, out int size) || value.Count * size != value.Data.Length)
                throw new SparseLabException($"safetensors: tensor '{name}' ({value.DType}, shape {string.Join("x", value.Shape)}) has {value.Data.Length} bytes, which does not fit its dtype and shape");
            header[name] = new JsonObject
            {
                ["dtype"] = value.DType,
                ["shape"] = new JsonArray([.. value.Shape.Select(d => (JsonNode)d)]),
                ["data_offsets"] = new JsonArray(offset, offset + value.Data.Length),
            };
            blobs.Add(value.Data);   // no gaps: Python's safetensors rejects a data section with holes
            offset += value.Data.Length;
        }
        byte[] json = Encoding.UTF8.GetBytes(header.ToJsonString());
        int padded = (json.Length + 7) / 8 * 8;   // the format recommends 8-byte alignment of the data
        AtomicFile.Write(path, stream =>
        {
            Span<byte> len = stackalloc byte[8];
            BinaryPrimitives.WriteUInt64LittleEndian(len, (ulong)padded);
            stream.Write(len);
            stream.Write(json);
            for (int i = json.Length; i < padded; i++) stream.WriteByte((byte)' ');
            foreach (var b in blobs) stream.Write(b.Span);
        });
    }

    /// <summary>Every tensor in the file, on the CPU, in header order; DataException for anything malformed.</summary>
    public static Dictionary<string, Tensor> Read(string path)
    {
        var raw = ReadRaw(path);
        var result = new Dictionary<string, Tensor>();
        foreach (var (name, r) in raw.Tensors)
        {
            var dtype = TorchCodes.FirstOrDefault(kv => kv.Value == r.DType).Key;
            if (!TorchCodes.ContainsKey(dtype) || TorchCodes[dtype] != r.DType)
                throw new DataException($"'{path}' is not a valid safetensors file: '{name}' has dtype {r.DType}, which libtorch tensors here do not support");
            var t = torch.empty(r.Shape, dtype);
            t.bytes = System.Runtime.InteropServices.MemoryMarshal.AsMemory(r.Data).Span;
            result[name] = t;
        }
        return result;
    }

    /// <summary>Every tensor's bytes and the metadata, checked against the file's size; DataException for anything malformed.</summary>
    public static RawSafeTensors ReadRaw(string path)
    {
        if (!File.Exists(path)) throw new DataException($"'{path}' does not exist");
        byte[] file = File.ReadAllBytes(path);
        DataException Bad(string what) => new($"'{path}' is not a valid safetensors file: {what}");
        if (file.Length < 8) throw Bad($"it has {file.Length} bytes, fewer than the 8-byte header length");
        ulong headerLength = BinaryPrimitives.ReadUInt64LittleEndian(file);
        if (headerLength > (ulong)(file.Length - 8)) throw Bad($"the header claims {headerLength} bytes but the file has {file.Length - 8} after the length");
        long dataStart = 8 + (long)headerLength;
        JsonObject header;
        try
        {
            header = JsonNode.Parse(Encoding.UTF8.GetString(file, 8, (int)headerLength))?.AsObject() ?? throw Bad("empty header");
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            throw Bad($"the header is not a JSON object ({e.Message})");
        }

        var tensors = new Dictionary<string, RawTensor>(StringComparer.Ordinal);
        var metadata = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, node) in header)
        {
            try
            {
                if (name == "__metadata__")
                {
                    foreach (var (k, v) in node?.AsObject() ?? [])
                        metadata[k] = v?.GetValue<string>() ?? throw Bad($"metadata '{k}' is null");
                    continue;
                }
                string code = node?["dtype"]?.GetValue<string>() ?? throw Bad($"'{name}' has no dtype");
                if (!Sizes.TryGetValue(code, out int size)) throw Bad($"'{name}' has unsupported dtype {code}");
                long[] shape = node!["shape"]?.AsArray().Select(d => d!.GetValue<long>()).ToArray() ?? throw Bad($"'{name}' has no shape");
                var offsets = node["data_offsets"]?.AsArray().Select(d => d!.GetValue<long>()).ToArray() ?? throw Bad($"'{name}' has no data_offsets");
                if (shape.Any(d => d < 0)) throw Bad($"'{name}' has a negative dimension");
                long count = shape.Aggregate(1L, (a, d) => checked(a * d));
                if (offsets.Length != 2 || offsets[0] < 0 || offsets[1] < offsets[0] || dataStart + offsets[1] > file.Length)
                    throw Bad($"'{name}' has data offsets [{string.Join(", ", offsets)}] outside the {file.Length - dataStart}-byte data section");
                if (offsets[1] - offsets[0] != checked(count * size))
                    throw Bad($"'{name}' has {offsets[1] - offsets[0]} bytes of data but its shape ({string.Join(", ", shape)}) and dtype {code} need {count * size}");
                tensors[name] = new RawTensor(code, shape, file.AsMemory((int)(dataStart + offsets[0]), (int)(offsets[1] - offsets[0])));
            }
            catch (Exception e) when (e is InvalidOperationException or FormatException or OverflowException or JsonException)
            {
                throw Bad($"the entry '{name}' is malformed ({e.Message})");
            }
        }
        return new RawSafeTensors(tensors, metadata);
    }
}
