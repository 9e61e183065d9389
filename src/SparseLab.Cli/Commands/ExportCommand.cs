// `sparselab export`: a run's weights (state-dict names) and mask
// (`masks.<name>`, uint8) as safetensors, loadable from Python with
// safetensors.torch.load_file; or, with --format sparse, the compressed model
// the sparse inference engine runs (Inference/SparseModelFile.cs).
using SparseLab.Cli.Options;
using SparseLab.Foundations;
using SparseLab.Inference;
using SparseLab.Sparsity;
using SparseLab.Training;
using static TorchSharp.torch;

namespace SparseLab.Cli.Commands;

public sealed class ExportCommand : CliCommand<ExportCommand.Options>
{
    public sealed record Options
    {
        public RunCheckpoint Source { get; init; } = new();

        [Option("safetensors (weights and masks), or sparse: the compressed model for `infer`.", OneOf = typeof(ExportCommand))]
        public string Format { get; init; } = "safetensors";

        [Option("With --format sparse: auto (the fewest bytes per layer), csr, nm (2:4) or dense.", OneOf = typeof(SparseExporter), Requires = ["Format=sparse"])]
        public string Layout { get; init; } = "auto";

        [Option("The file to write.", Value = "FILE", IsPath = true)]
        public string? Out { get; init; }
    }

    public static NameSet Names { get; } = new("safetensors", "sparse");

    public override string Path => "export";
    public override string Description =>
        "Write a run's weights and mask as safetensors (weights by state-dict name, masks as masks.<name>), or --format sparse: the compressed model for `infer`.";
    public override IReadOnlyList<string> Examples => ["export --run runs/lenet5 --format sparse --out lenet5.sparse.safetensors"];
    protected override Options Defaults => new();

    protected override int Execute(Bound<Options> bound)
    {
        var s = bound.Value;
        Check.Section(s.Source, nameof(Options.Source));
        s.Source.RefuseOverwrite(s.Out, nameof(Options.Out));
        Check.That(s.Out is not null, nameof(Options.Out), "is required: the file to write");
        Check.That(!Directory.Exists(s.Out), nameof(Options.Out), $"'{s.Out}' is a folder; give a file to write");

        using var saved = SavedRun.Open(s.Source.Run!, s.Source.Checkpoint);
        saved.RequireFinite("export");
        if (s.Format == "sparse") return ExportSparse(saved, s);
        using var mask = saved.LoadMask();
        var entries = saved.Model.state_dict().Select(kv => (kv.Key, kv.Value)).ToList();
        if (mask is not null) entries.AddRange(mask.AsUInt8());
        var (sparsity, _, _) = PrunableParameters.Measure(saved.Prunable);
        SafeTensors.Write(s.Out!, entries, new Dictionary<string, string>
        {
            ["model"] = saved.Config.Model.Name, ["dataset"] = saved.Config.Data.Dataset,
            ["width"] = saved.Config.Model.Width.ToString("R", System.Globalization.CultureInfo.InvariantCulture),
            ["input"] = $"{saved.Input.Channels}x{saved.Input.Height}x{saved.Input.Width}", ["classes"] = saved.Input.NumClasses.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["checkpoint"] = s.Source.Checkpoint, ["config_hash"] = ConfigHash.Hash(saved.Config),
        });
        Console.WriteLine($"exported {entries.Count} tensors to {System.IO.Path.GetFullPath(s.Out!)}; measured sparsity {sparsity:F4}" + (mask is null ? " (dense run: no masks)" : ""));
        return 0;
    }

    private static int ExportSparse(SavedRun saved, Options s)
    {
        var r = SparseExporter.Export(saved, s.Out!, s.Layout);
        long checkpoint = new FileInfo(saved.Folder.CheckpointFile(saved.CheckpointName)).Length;
        Console.WriteLine($"exported {saved.Config.Model.Name} for sparse inference to {r.Path}; measured sparsity {r.Sparsity:F4}");
        foreach (var l in r.Layers)
            Console.WriteLine($"  {l.Name}: {l.Layout} {l.Rows}x{l.Cols}, {l.Nonzero} nonzeros of {(long)l.Rows * l.Cols}, {l.Stored} stored");
        Console.WriteLine($"size: {r.Bytes} bytes; dense fp32 weights {r.DenseBytes} bytes ({(double)r.DenseBytes / r.Bytes:F1}x larger); " +
            $"checkpoint {saved.CheckpointName} {checkpoint} bytes (with optimizer state)");
        return 0;
    }
}
