// The sparse model file: safetensors (Foundations/SafeTensors.cs) with the
// network's description as JSON in __metadata__["sparselab_inference"] and,
// per Conv2d/Linear layer NAME, its weight in one of three layouts and its
// bias as-is:
//   csr:   NAME.weight.values F32 [nnz], NAME.weight.col_idx U16|I32 [nnz],
//          NAME.weight.row_ptr U16|I32 [out + 1]   (the narrowest type that fits)
//   nm:    NAME.weight.values F32 [out, in/M*N], NAME.weight.offsets U8 [same]
//   dense: NAME.weight F32 in the layer's own shape
//   NAME.bias F32 [out]
// Reading checks everything (tensor presence, dtypes, shapes against the
// metadata, CSR structure, N:M offsets) and the layer chain's shapes before
// any computation; every problem is a DataException naming the file.
using System.Runtime.InteropServices;
using System.Text.Json;
using SparseLab.Foundations;

namespace SparseLab.Inference;

public static class SparseModelFile
{
    public static void Write(string path, SparseModel model)
    {
        var tensors = new List<(string, RawTensor)>();
        foreach (var spec in model.Info.Layers.Where(l => l.Name is not null))
        {
            var layer = model.Layers[spec.Name!];
            string w = spec.Name + ".weight";
            switch (layer.Weight)
            {
                case CsrMatrix csr when spec.Layout == "csr":
                    tensors.Add((w + ".values", F32(csr.Values, csr.Values.Length)));
                    tensors.Add((w + ".col_idx", Narrow(csr.ColIdx, csr.Cols - 1)));
                    tensors.Add((w + ".row_ptr", Narrow(csr.RowPtr, csr.Values.Length)));
                    break;
                case DenseWeight dense when spec.Layout == "dense":
                    tensors.Add((w, new RawTensor("F32", DenseShape(spec), MemoryMarshal.AsBytes(dense.ToDense().AsSpan()).ToArray())));
                    break;
                case NmMatrix nm when spec.Layout == "nm":
                    tensors.Add((w + ".values", F32(nm.Values, nm.Rows, nm.SlotsPerRow)));
                    tensors.Add((w + ".offsets", new RawTensor("U8", [nm.Rows, nm.SlotsPerRow], nm.Offsets)));
                    break;
                default:
                    throw new ArgumentException($"layer '{spec.Name}' says layout {spec.Layout} but holds a {layer.Weight.Layout} weight");
            }
            tensors.Add((spec.Name + ".bias", F32(layer.Bias, layer.Bias.Length)));
        }
        SafeTensors.WriteRaw(path, tensors, new Dictionary<string, string>
        {
            [SparseModelInfo.MetadataKey] = JsonSerializer.Serialize(model.Info, Json.Compact),
        });
    }

    /// <summary>Reads and checks a sparse model file; DataException for anything inconsistent.</summary>
    public static SparseModel Read(string path)
    {
        var raw = SafeTensors.ReadRaw(path);
        DataException Bad(string what) => new($"sparse model file '{path}': {what}");
        if (!raw.Metadata.TryGetValue(SparseModelInfo.MetadataKey, out var json))
            throw Bad($"it has no '{SparseModelInfo.MetadataKey}' metadata; write one with `sparselab export --format sparse`");
        SparseModelInfo info;
        try
        {
            info = JsonSerializer.Deserialize<SparseModelInfo>(json, Json.Options) ?? throw Bad("the metadata is empty");
        }
        catch (JsonException e)
        {
            throw Bad($"the metadata is not valid JSON of a sparse model ({e.Message})");
        }
        ModelChecks.Info(info, Bad);

        var layers = new Dictionary<string, WeightedLayer>(StringComparer.Ordinal);
        foreach (var spec in info.Layers.Where(l => l.Op is "conv2d" or "linear"))
        {
            if (spec.Name is null || layers.ContainsKey(spec.Name)) throw Bad($"a {spec.Op} layer has a missing or repeated name '{spec.Name}'");
            int rows = spec.Out, cols = checked(spec.In * (spec.Op == "conv2d" ? spec.Kernel![0] * spec.Kernel[1] : 1));
            string w = spec.Name + ".weight", source = $"sparse model file '{path}', layer '{spec.Name}'";
            RawTensor Get(string name, params string[] dtypes) =>
                !raw.Tensors.TryGetValue(name, out var t) ? throw Bad($"tensor '{name}' is missing")
                : !dtypes.Contains(t.DType) ? throw Bad($"tensor '{name}' has dtype {t.DType}; expected {string.Join(" or ", dtypes)}")
                : t;
            ISparseWeight weight = spec.Layout switch
            {
                "csr" => CsrMatrix.Create(rows, cols,
                    Ints(Vector(Get(w + ".row_ptr", "U16", "I32", "I64"), rows + 1, w + ".row_ptr", Bad), w + ".row_ptr", Bad),
                    Ints(Vector(Get(w + ".col_idx", "U16", "I32", "I64"), -1, w + ".col_idx", Bad), w + ".col_idx", Bad),
                    Floats(Vector(Get(w + ".values", "F32"), -1, w + ".values", Bad)), source),
                "nm" => NmMatrix.Create(rows, cols, spec.N, spec.M,
                    Floats(Matrix(Get(w + ".values", "F32"), rows, spec.M > 0 && cols % spec.M == 0 ? cols / spec.M * spec.N : -1, w + ".values", Bad)),
                    Matrix(Get(w + ".offsets", "U8"), rows, spec.M > 0 && cols % spec.M == 0 ? cols / spec.M * spec.N : -1, w + ".offsets", Bad).Data.ToArray(), source),
                "dense" => new DenseWeight(Floats(Shaped(Get(w, "F32"), DenseShape(spec), w, Bad)), rows, cols),
                _ => throw Bad($"layer '{spec.Name}' has layout '{spec.Layout}'; known layouts: csr, nm, dense"),
            };
            var bias = Floats(Vector(Get(spec.Name + ".bias", "F32"), rows, spec.Name + ".bias", Bad));
            layers[spec.Name] = new WeightedLayer(weight, bias);
        }
        return new SparseModel(info, layers);
    }

    private static long[] DenseShape(LayerSpec spec) =>
        spec.Op == "conv2d" ? [spec.Out, spec.In, spec.Kernel![0], spec.Kernel[1]] : [spec.Out, spec.In];

    private static RawTensor Vector(RawTensor t, long length, string name, Func<string, DataException> bad) =>
        t.Shape.Length == 1 && (length < 0 || t.Shape[0] == length) ? t
        : throw bad($"tensor '{name}' has shape ({string.Join(", ", t.Shape)}); expected ({(length < 0 ? "n" : length)})");

    private static RawTensor Matrix(RawTensor t, long rows, long cols, string name, Func<string, DataException> bad) =>
        t.Shape.Length == 2 && t.Shape[0] == rows && t.Shape[1] == cols ? t
        : throw bad($"tensor '{name}' has shape ({string.Join(", ", t.Shape)}); the metadata needs ({rows}, {cols})");

    private static RawTensor Shaped(RawTensor t, long[] shape, string name, Func<string, DataException> bad) =>
        t.Shape.SequenceEqual(shape) ? t
        : throw bad($"tensor '{name}' has shape ({string.Join(", ", t.Shape)}); the metadata needs ({string.Join(", ", shape)})");

    private static float[] Floats(RawTensor t) => MemoryMarshal.Cast<byte, float>(t.Data.Span).ToArray();

    private static int[] Ints(RawTensor t, string name, Func<string, DataException> bad)
    {
        var bytes = t.Data.Span;
        switch (t.DType)
        {
            case "U16":
                var u16 = MemoryMarshal.Cast<byte, ushort>(bytes);
                var r16 = new int[u16.Length];
                for (int i = 0; i < u16.Length; i++) r16[i] = u16[i];
                return r16;
            case "I32":
                return MemoryMarshal.Cast<byte, int>(bytes).ToArray();
            default:
                var i64 = MemoryMarshal.Cast<byte, long>(bytes);
                var r64 = new int[i64.Length];
                for (int i = 0; i < i64.Length; i++)
                    r64[i] = i64[i] is >= int.MinValue and <= int.MaxValue ? (int)i64[i] : throw bad($"tensor '{name}' holds {i64[i]}, beyond what the engine indexes");
                return r64;
        }
    }

    private static RawTensor F32(float[] values, params long[] shape) => new("F32", shape, MemoryMarshal.AsBytes(values.AsSpan()).ToArray());

    // The narrowest integer type that holds every value up to max: U16, else I32.
    private static RawTensor Narrow(int[] values, int max)
    {
        if (max <= ushort.MaxValue)
        {
            var u = new ushort[values.Length];
            for (int i = 0; i < u.Length; i++) u[i] = (ushort)values[i];
            return new RawTensor("U16", [values.Length], MemoryMarshal.AsBytes(u.AsSpan()).ToArray());
        }
        return new RawTensor("I32", [values.Length], MemoryMarshal.AsBytes(values.AsSpan()).ToArray());
    }
}
