// A pruning mask: for each prunable parameter (by state-dict name) a 0/1
// float32 tensor of the parameter's shape. Checked on construction, knows its
// per-layer and global sparsity, and saves as safetensors under
// `masks.<name>` (uint8), the same keys `export` writes.
using SparseLab.Foundations;
using TorchSharp;
using static TorchSharp.torch;

namespace SparseLab.Sparsity;

public sealed record LayerSparsity(string Name, long[] Shape, long Total, long Nonzero)
{
    public double Sparsity => Total == 0 ? 0 : 1.0 - (double)Nonzero / Total;
    public double Density => 1.0 - Sparsity;
}

public sealed class Mask : IDisposable
{
    public const string KeyPrefix = "masks.";
    private readonly Dictionary<string, Tensor> _layers;

    /// <summary>Takes ownership of the tensors; each must hold only 0 and 1.</summary>
    public Mask(IReadOnlyDictionary<string, Tensor> layers) : this(layers, null) { }

    // source: the file the layers come from, named in the error (Load).
    private Mask(IReadOnlyDictionary<string, Tensor> layers, string? source)
    {
        _layers = new Dictionary<string, Tensor>();
        try
        {
            foreach (var (name, t) in layers)
            {
                var m = t.to(ScalarType.Float32).detach();
                _layers[name] = m;
                using var _ = torch.no_grad();
                using var bad = m.ne(0).logical_and(m.ne(1));
                if (bad.any().item<bool>())
                {
                    using var values = m.masked_select(bad);
                    string example = values[0].item<float>().ToString(System.Globalization.CultureInfo.InvariantCulture);
                    throw source is null
                        ? new SparseLabException($"mask layer '{name}' holds values other than 0 and 1 (e.g. {example})")
                        : new DataException($"mask '{source}': layer '{name}' holds values other than 0 and 1 (e.g. {example}); a mask file holds only 0 and 1");
                }
            }
        }
        catch
        {
            foreach (var m in _layers.Values) m.Dispose();
            throw;
        }
        foreach (var m in _layers.Values) m.DetachFromDisposeScope();
        Names = [.. layers.Keys];
    }

    public IReadOnlyList<string> Names { get; }
    /// <summary>Counts the in-place rewrites (Replace), so holders of a packed copy know when to rebuild it.</summary>
    public int Version { get; private set; }
    public Tensor this[string name] => _layers[name];
    public bool Contains(string name) => _layers.ContainsKey(name);

    public IReadOnlyList<LayerSparsity> Layers =>
        [.. Names.Select(n => new LayerSparsity(n, _layers[n].shape, _layers[n].numel(), _layers[n].count_nonzero().item<long>()))];

    public long Total => Layers.Sum(l => l.Total);
    public long Nonzero => Layers.Sum(l => l.Nonzero);
    public double Sparsity => Total == 0 ? 0 : 1.0 - (double)Nonzero / Total;

    /// <summary>Layers with no weight left (layer collapse, Tanaka et al. 2020).</summary>
    public IReadOnlyList<string> CollapsedLayers => [.. Layers.Where(l => l.Nonzero == 0).Select(l => l.Name)];

    /// <summary>All ones over the given parameters.</summary>
    public static Mask Dense(IEnumerable<(string Name, Tensor Weight)> parameters) =>
        new(parameters.ToDictionary(p => p.Name, p => torch.ones_like(p.Weight, dtype: ScalarType.Float32)));

    /// <summary>Refuses a mask whose layers or shapes differ from the model's prunable parameters.</summary>
    public void CheckMatches(IReadOnlyList<(string Name, TorchSharp.Modules.Parameter Weight)> prunable, string source)
    {
        foreach (var (name, w) in prunable)
        {
            if (!_layers.TryGetValue(name, out var m))
                throw new InvalidOptionException(
                    $"mask {source} has no layer '{name}', which this run prunes; a mask made with the first or last layer kept dense needs the same layers kept dense here");
            if (!m.shape.SequenceEqual(w.shape))
                throw new InvalidOptionException($"mask {source} does not fit this model: layer '{name}' has shape ({string.Join(", ", m.shape)}) in the mask and ({string.Join(", ", w.shape)}) in the model");
        }
        var known = prunable.Select(p => p.Name).ToHashSet();
        var extra = Names.FirstOrDefault(n => !known.Contains(n));
        if (extra is not null)
            throw new InvalidOptionException($"mask {source} does not fit this model: it has a layer '{extra}' that the model does not have (or that is kept dense)");
    }

    /// <summary>
    /// Overwrites one layer in place (dynamic sparsity): every holder of this
    /// mask (the enforcer, a Fisher probe) sees the new pattern.
    /// </summary>
    public void Replace(string name, Tensor values)
    {
        var m = _layers[name];
        if (!values.shape.SequenceEqual(m.shape))
            throw new SparseLabException($"mask layer '{name}': new values have shape ({string.Join(", ", values.shape)}), the layer ({string.Join(", ", m.shape)})");
        using var _ = torch.no_grad();
        using var v = values.to(ScalarType.Float32, m.device);
        if (v.ne(0).logical_and(v.ne(1)).any().item<bool>())
            throw new SparseLabException($"mask layer '{name}' would hold values other than 0 and 1");
        m.copy_(v);
        Version++;
    }

    public Mask Clone() => new(_layers.ToDictionary(kv => kv.Key, kv => kv.Value.clone()));

    public Mask To(Device device) => new(_layers.ToDictionary(kv => kv.Key, kv => kv.Value.to(device)));

    public IEnumerable<(string Name, Tensor Value)> AsUInt8() =>
        Names.Select(n => (KeyPrefix + n, _layers[n].to(ScalarType.Byte)));

    public void Save(string path, IReadOnlyDictionary<string, string>? metadata = null) => SafeTensors.Write(path, AsUInt8(), metadata);

    /// <summary>Reads the `masks.*` entries of a safetensors file (a saved mask or an export).</summary>
    public static Mask Load(string path)
    {
        var all = SafeTensors.Read(path);
        var masks = all.Where(kv => kv.Key.StartsWith(KeyPrefix, StringComparison.Ordinal))
            .ToDictionary(kv => kv.Key[KeyPrefix.Length..], kv => kv.Value);
        foreach (var (k, v) in all) if (!k.StartsWith(KeyPrefix, StringComparison.Ordinal)) v.Dispose();
        if (masks.Count == 0) throw new DataException($"'{path}' holds no mask (no 'masks.*' entries)");
        try { return new Mask(masks, path); }
        finally { foreach (var v in masks.Values) v.Dispose(); }
    }

    public void Dispose()
    {
        foreach (var t in _layers.Values) t.Dispose();
    }
}
