// Reads and writes the safetensors format (Hugging Face): an 8-byte
// little-endian header length, a JSON header mapping each name to its dtype,
// shape and [begin, end) byte offsets into the data that follows. Python loads
// these files with `safetensors.torch.load_file`. The reader checks every
// offset and size before touching the data, so a corrupt file is an error,
// never an out-of-bounds read.
using System.Buffers.Binary;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using TorchSharp;
using static TorchSharp.torch;

namespace SparseLab.Foundations;

public static class SafeTensors
{
    private static readonly Dictionary<ScalarType, (string Code, int Size)> Codes = new()
    {
        [ScalarType.Float32] = ("F32", 4), [ScalarType.Float64] = ("F64", 8), [ScalarType.Int64] = ("I64", 8),
        [ScalarType.Int32] = ("I32", 4), [ScalarType.Byte] = ("U8", 1), [ScalarType.Bool] = ("BOOL", 1),
    };

    public static void Write(string path, IEnumerable<(string Name, Tensor Value)> tensors, IReadOnlyDictionary<string, string>? metadata = null)
    {
        var header = new JsonObject();
        if (metadata is { Count: > 0 })
            header["__metadata__"] = new JsonObject(metadata.Select(kv => KeyValuePair.Create(kv.Key, (JsonNode?)kv.Value)));
        var blobs = new List<byte[]>();
        long offset = 0;
        foreach (var (name, value) in tensors)
        {
            using var cpu = value.detach().cpu().contiguous();
            if (!Codes.TryGetValue(cpu.dtype, out var code))
                throw new SparseLabException($"safetensors: tensor '{name}' has dtype {cpu.dtype}, which this writer does not support");
            byte[] bytes = cpu.bytes.ToArray();
            header[name] = new JsonObject
            {
                ["dtype"] = code.Code,
                ["shape"] = new JsonArray([.. cpu.shape.Select(d => (JsonNode)d)]),
                ["data_offsets"] = new JsonArray(offset, offset + bytes.Length),
            };
            blobs.Add(bytes);
            offset += bytes.Length;
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
            foreach (var b in blobs) stream.Write(b);
        });
    }

    /// <summary>Every tensor in the file, on the CPU, in header order; DataException for anything malformed.</summary>
    public static Dictionary<string, Tensor> Read(string path)
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

        var result = new Dictionary<string, Tensor>();
        foreach (var (name, node) in header)
        {
            if (name == "__metadata__") continue;
            try
            {
                string code = node?["dtype"]?.GetValue<string>() ?? throw Bad($"'{name}' has no dtype");
                var (dtype, size) = Codes.Select(kv => (kv.Key, kv.Value.Size)).FirstOrDefault(kv => Codes[kv.Key].Code == code);
                if (size == 0) throw Bad($"'{name}' has unsupported dtype {code}");
                long[] shape = node!["shape"]?.AsArray().Select(d => d!.GetValue<long>()).ToArray() ?? throw Bad($"'{name}' has no shape");
                var offsets = node["data_offsets"]?.AsArray().Select(d => d!.GetValue<long>()).ToArray() ?? throw Bad($"'{name}' has no data_offsets");
                if (shape.Any(d => d < 0)) throw Bad($"'{name}' has a negative dimension");
                long count = shape.Aggregate(1L, (a, d) => checked(a * d));
                if (offsets.Length != 2 || offsets[0] < 0 || offsets[1] < offsets[0] || dataStart + offsets[1] > file.Length)
                    throw Bad($"'{name}' has data offsets [{string.Join(", ", offsets)}] outside the {file.Length - dataStart}-byte data section");
                if (offsets[1] - offsets[0] != count * size)
                    throw Bad($"'{name}' has {offsets[1] - offsets[0]} bytes of data but its shape ({string.Join(", ", shape)}) and dtype {code} need {count * size}");
                var t = torch.empty(shape, dtype);
                t.bytes = file.AsSpan((int)(dataStart + offsets[0]), (int)(offsets[1] - offsets[0]));
                result[name] = t;
            }
            catch (Exception e) when (e is InvalidOperationException or FormatException or OverflowException or JsonException)
            {
                throw Bad($"the entry '{name}' is malformed ({e.Message})");
            }
        }
        return result;
    }
}
