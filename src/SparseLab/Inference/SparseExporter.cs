// Turns a saved run into a sparse model file: each Conv2d/Linear weight in
// the layout that stores it in the fewest bytes (CSR with the narrowest
// index types, 2:4 when every group of four inputs keeps at most two, or
// dense when the layer is nearly full), biases as-is, and the network's
// description and input normalization as JSON metadata.
using SparseLab.Data;
using SparseLab.Foundations;
using SparseLab.Training;
using static TorchSharp.torch;

namespace SparseLab.Inference;

/// <summary>How one layer was stored: layout, shape (rows = outputs, cols = inputs·kh·kw), nonzeros, stored slots.</summary>
public sealed record ExportedLayer(string Name, string Layout, int Rows, int Cols, long Nonzero, long Stored);

/// <summary>The file written, its size, the size of the same weights dense in fp32, and the layers.</summary>
public sealed record SparseExport(string Path, long Bytes, long DenseBytes, IReadOnlyList<ExportedLayer> Layers)
{
    public double Sparsity => 1.0 - (double)Layers.Sum(l => l.Nonzero) / Layers.Sum(l => (long)l.Rows * l.Cols);
}

public static class SparseExporter
{
    public static NameSet Names { get; } = new("auto", "csr", "nm", "dense");
    public static IReadOnlyList<string> Layouts => Names;

    public static SparseExport Export(SavedRun saved, string path, string layout = "auto")
    {
        if (!Layouts.Contains(layout))
            throw new ConfigError($"{ConfigError.Field("Layout")} '{layout}' is not known; use one of: {Names.Describe()}");
        var state = saved.Model.state_dict();
        var graph = ModelGraph.Layers(saved.Config.Model.Name, saved.Input.Height, name => state[name].shape);
        var info = DatasetCatalog.Info(saved.Config.Data.Dataset);

        var specs = new List<LayerSpec>();
        var layers = new Dictionary<string, WeightedLayer>(StringComparer.Ordinal);
        var report = new List<ExportedLayer>();
        foreach (var spec in graph)
        {
            if (spec.Name is null) { specs.Add(spec); continue; }
            var (dense, biasValues) = FoldedWeights(state, spec);
            int rows = spec.Out, cols = dense.Length / rows;
            var stored = Choose(dense, rows, cols, layout, spec.Name);
            specs.Add(stored is NmMatrix nm ? spec with { Layout = "nm", N = nm.N, M = nm.M } : spec with { Layout = stored.Layout });
            layers[spec.Name] = new WeightedLayer(stored, biasValues);
            report.Add(new ExportedLayer(spec.Name, specs[^1].Layout!, rows, cols, dense.LongCount(v => v != 0), stored.Stored));
        }

        var model = new SparseModel(
            new SparseModelInfo(SparseModelInfo.CurrentFormat, saved.Config.Model.Name, saved.Config.Data.Dataset, saved.Config.Model.Width,
                [saved.Input.Channels, saved.Input.Height, saved.Input.Width], saved.Input.NumClasses, info.Mean, info.Std, [.. specs]),
            layers);
        SparseModelFile.Write(path, model);
        long denseBytes = state.Values.Sum(t => t.numel() * t.element_size());
        return new SparseExport(System.IO.Path.GetFullPath(path), new FileInfo(path).Length, denseBytes, report);
    }

    private const double BatchNormEps = 1e-5;   // TorchSharp's (and PyTorch's) BatchNorm2d default, which every model uses

    /// <summary>
    /// The layer's weight (row-major, out × in·kh·kw) and bias; with a BatchNorm after it (spec.Norm), folded in for
    /// inference: s = γ / √(running_var + ε), W' = s·W per output row, b' = s·(b − running_mean) + β. A pruned weight
    /// stays exactly 0 (rows are only scaled).
    /// </summary>
    private static (float[] Weight, float[] Bias) FoldedWeights(Dictionary<string, Tensor> state, LayerSpec spec)
    {
        using var scope = NewDisposeScope();
        var weight = state[spec.Name + ".weight"].detach().cpu().to(ScalarType.Float64);
        var bias = state.TryGetValue(spec.Name + ".bias", out var b) ? b.detach().cpu().to(ScalarType.Float64) : zeros(weight.shape[0], ScalarType.Float64);
        if (spec.Norm is { } norm)
        {
            var scale = state[norm + ".weight"].detach().cpu().to(ScalarType.Float64) /
                (state[norm + ".running_var"].detach().cpu().to(ScalarType.Float64) + BatchNormEps).sqrt();
            weight = weight * scale.reshape(-1, 1, 1, 1);
            bias = scale * (bias - state[norm + ".running_mean"].detach().cpu().to(ScalarType.Float64)) + state[norm + ".bias"].detach().cpu().to(ScalarType.Float64);
        }
        return (weight.to(ScalarType.Float32).contiguous().data<float>().ToArray(), bias.to(ScalarType.Float32).contiguous().data<float>().ToArray());
    }

    // The layout asked for, or under "auto" the one with the fewest bytes (dense is a CSR that keeps every entry).
    private static ISparseWeight Choose(float[] dense, int rows, int cols, string layout, string name)
    {
        long nnz = dense.LongCount(v => v != 0);
        NmMatrix? nm = layout is "auto" or "nm" ? NmMatrix.TryFromDense(dense, rows, cols) : null;
        if (layout == "nm" && nm is null)
            throw new ConfigError($"{ConfigError.Field("Layout")} nm: layer '{name}' is not 2:4 sparse (some group of 4 inputs keeps more than 2 weights, or {cols} inputs are not a multiple of 4); use {ConfigError.Field("Layout")} auto");
        long csrBytes = nnz * (4 + (cols <= 65536 ? 2 : 4)) + (rows + 1L) * (nnz <= 65535 ? 2 : 4);
        long nmBytes = nm is null ? long.MaxValue : nm.Stored * 5;
        long denseBytes = (long)rows * cols * 4;
        return layout switch
        {
            "csr" => CsrMatrix.FromDense(dense, rows, cols),
            "dense" => new DenseWeight(dense, rows, cols),
            "nm" => nm!,
            _ when nmBytes <= csrBytes && nmBytes <= denseBytes => nm!,
            _ when csrBytes <= denseBytes => CsrMatrix.FromDense(dense, rows, cols),
            _ => new DenseWeight(dense, rows, cols),
        };
    }
}
