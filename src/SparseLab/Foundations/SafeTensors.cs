// Reads and writes the safetensors format (Hugging Face): an 8-byte
// little-endian header length, a JSON header mapping each name to its dtype,
// shape and [begin, end) byte offsets into the data that follows. Python loads
// these files with `safetensors.torch.load_file`. The reader checks every
// offset and size before touching the data, so a corrupt file is an error,
// never an out-of-bounds read. The raw layer (RawTensor) serves readers that
// want bytes without libtorch, e.g. the sparse inference engine, and dtypes
// TorchSharp lacks (U16). Every file written carries its SHA-256 as 64 hex
// digits in __metadata__["sparselab.sha256"]: the hash of the whole file with
// those 64 digits written as '0's, so a flipped byte anywhere (header or data)
// or a cut-short file is refused naming the file. Files without the key (from
// before it, or from other tools) are read with the structural checks alone,
// which include a data section exactly as long as the tensors need.
using System.Buffers.Binary;
using System.Security.Cryptography;
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

    /// <summary>The __metadata__ key of the file's SHA-256 (see WriteRaw); files written before it have none and read unchecked.</summary>
    public const string ChecksumKey = "sparselab.sha256";
    private static readonly string Placeholder = new('0', 64);

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
        var meta = new JsonObject();
        foreach (var (k, v) in metadata ?? new Dictionary<string, string>())
            if (k != ChecksumKey) meta[k] = v;
        meta[ChecksumKey] = Placeholder;
        var header = new JsonObject { ["__metadata__"] = meta };
        var blobs = new List<ReadOnlyMemory<byte>>();
        long offset = 0;
        foreach (var (name, value) in tensors)
        {
            if (!Sizes.TryGetValue(value.DType, out int size) || value.Count * size != value.Data.Length)
                throw new SparseLabException($"safetensors: tensor '{name}' ({value.DType}, shape {string.Join("x", value.Shape)}) has {value.Data.Length} bytes, which does not fit its dtype and shape");
            if (name == "__metadata__" || header.ContainsKey(name))
                throw new SparseLabException($"safetensors: the name '{name}' is {(name == "__metadata__" ? "reserved" : "given twice")}");
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
        var file = new byte[8 + padded];
        BinaryPrimitives.WriteUInt64LittleEndian(file, (ulong)padded);
        json.CopyTo(file, 8);
        file.AsSpan(8 + json.Length).Fill((byte)' ');
        // The checksum covers the whole file, its own 64 digits counted as the placeholder's zeros.
        int at = 8 + json.AsSpan().IndexOf(Encoding.UTF8.GetBytes($"\"{ChecksumKey}\":\"{Placeholder}\"")) + ChecksumKey.Length + 4;
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        sha.AppendData(file);
        foreach (var b in blobs) sha.AppendData(b.Span);
        Encoding.ASCII.GetBytes(Convert.ToHexStringLower(sha.GetHashAndReset())).CopyTo(file, at);
        AtomicFile.Write(path, stream =>
        {
            stream.Write(file);
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

    /// <summary>
    /// Every tensor's bytes and the metadata (less the checksum), checked against the file's size and, when the header
    /// carries one, its SHA-256; DataException naming the file for anything malformed or damaged.
    /// </summary>
    public static RawSafeTensors ReadRaw(string path)
    {
        if (!File.Exists(path)) throw new DataException($"'{path}' does not exist");
        byte[] file = File.ReadAllBytes(path);
        DataException Bad(string what) => new($"'{path}' is not a valid safetensors file: {what}");
        if (file.Length < 8) throw Bad($"it has {file.Length} bytes, fewer than the 8-byte header length");
        ulong headerLength = BinaryPrimitives.ReadUInt64LittleEndian(file);
        if (headerLength > (ulong)(file.Length - 8)) throw Bad($"the header claims {headerLength} bytes but the file has {file.Length - 8} after the length (was it cut short?)");
        long dataStart = 8 + (long)headerLength;
        using var header = ParseHeader(file.AsMemory(8, (int)headerLength), Bad);
        var entries = UniqueProperties(header.RootElement, "the header", Bad);

        var metadata = new Dictionary<string, string>(StringComparer.Ordinal);
        if (entries.TryGetValue("__metadata__", out var meta))
        {
            if (meta.ValueKind != JsonValueKind.Object) throw Bad("__metadata__ is not a JSON object");
            foreach (var (k, v) in UniqueProperties(meta, "__metadata__", Bad))
                metadata[k] = v.ValueKind == JsonValueKind.String ? v.GetString()! : throw Bad($"metadata '{k}' is not a string");
            if (metadata.Remove(ChecksumKey, out var checksum)) Verify(file, (int)dataStart, checksum, path, Bad);
        }

        var tensors = new Dictionary<string, RawTensor>(StringComparer.Ordinal);
        long end = 0;
        foreach (var (name, node) in entries)
        {
            if (name == "__metadata__") continue;
            try
            {
                string code = node.TryGetProperty("dtype", out var d) ? d.GetString() ?? throw Bad($"'{name}' has a null dtype") : throw Bad($"'{name}' has no dtype");
                if (!Sizes.TryGetValue(code, out int size)) throw Bad($"'{name}' has unsupported dtype {code}");
                long[] shape = node.TryGetProperty("shape", out var s) ? [.. s.EnumerateArray().Select(x => x.GetInt64())] : throw Bad($"'{name}' has no shape");
                long[] offsets = node.TryGetProperty("data_offsets", out var o) ? [.. o.EnumerateArray().Select(x => x.GetInt64())] : throw Bad($"'{name}' has no data_offsets");
                if (shape.Any(x => x < 0)) throw Bad($"'{name}' has a negative dimension");
                long count = shape.Aggregate(1L, (a, x) => checked(a * x));
                if (offsets.Length != 2 || offsets[0] < 0 || offsets[1] < offsets[0] || dataStart + offsets[1] > file.Length)
                    throw Bad($"'{name}' has data offsets [{string.Join(", ", offsets)}] outside the {file.Length - dataStart}-byte data section (was the file cut short?)");
                if (offsets[1] - offsets[0] != checked(count * size))
                    throw Bad($"'{name}' has {offsets[1] - offsets[0]} bytes of data but its shape ({string.Join(", ", shape)}) and dtype {code} need {count * size}");
                tensors[name] = new RawTensor(code, shape, file.AsMemory((int)(dataStart + offsets[0]), (int)(offsets[1] - offsets[0])));
                end = Math.Max(end, offsets[1]);
            }
            catch (Exception e) when (e is InvalidOperationException or FormatException or OverflowException)
            {
                throw Bad($"the entry '{name}' is malformed ({e.Message})");
            }
        }
        if (dataStart + end != file.Length)
            throw Bad($"its data section has {file.Length - dataStart} bytes but its tensors end at byte {end}");
        return new RawSafeTensors(tensors, metadata);
    }

    private static JsonDocument ParseHeader(ReadOnlyMemory<byte> json, Func<string, DataException> bad)
    {
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(json);
        }
        catch (JsonException e)
        {
            throw bad($"the header is not a JSON object ({e.Message})");
        }
        var kind = doc.RootElement.ValueKind;
        if (kind == JsonValueKind.Object) return doc;
        doc.Dispose();
        throw bad($"the header is not a JSON object (it is a JSON {kind.ToString().ToLowerInvariant()})");
    }

    // JSON allows a repeated key and readers differ on which one wins; a file that repeats one is refused.
    private static Dictionary<string, JsonElement> UniqueProperties(JsonElement obj, string where, Func<string, DataException> bad)
    {
        var result = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        foreach (var p in obj.EnumerateObject())
            if (!result.TryAdd(p.Name, p.Value)) throw bad($"{where} names '{p.Name}' twice");
        return result;
    }

    // SHA-256 of the whole file with the checksum's 64 digits read as the writer's placeholder zeros.
    private static void Verify(byte[] file, int dataStart, string checksum, string path, Func<string, DataException> bad)
    {
        if (checksum.Length != 64 || !checksum.All(char.IsAsciiHexDigit)) throw bad($"metadata '{ChecksumKey}' is not 64 hexadecimal digits");
        int at = file.AsSpan(8, dataStart - 8).IndexOf(Encoding.ASCII.GetBytes($"\"{checksum}\"")) + 1;
        if (at <= 0) throw bad($"metadata '{ChecksumKey}' is not written as the writer writes it");
        at += 8;
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        sha.AppendData(file, 0, at);
        sha.AppendData(Encoding.ASCII.GetBytes(Placeholder));
        sha.AppendData(file, at + 64, file.Length - at - 64);
        if (!sha.GetHashAndReset().AsSpan().SequenceEqual(Convert.FromHexString(checksum)))
            throw new DataException($"'{path}' is damaged (SHA-256 mismatch: a changed byte or a file cut short): write it again or restore it " +
                                    $"(a file rewritten by another tool must drop the '{ChecksumKey}' metadata)");
    }
}
