// `sparselab export`: a run's weights (state-dict names) and mask
// (`masks.<name>`, uint8) as safetensors, loadable from Python with
// safetensors.torch.load_file; or, with --format sparse, the compressed model
// the sparse inference engine runs (Inference/SparseModelFile.cs).
using System.ComponentModel;
using SparseLab.Cli.Settings;
using SparseLab.Foundations;
using SparseLab.Inference;
using SparseLab.Sparsity;
using SparseLab.Training;
using Spectre.Console.Cli;
using static TorchSharp.torch;

namespace SparseLab.Cli.Commands;

public sealed class ExportCommand : Command<ExportCommand.Settings>
{
    public sealed class Settings : RunCheckpointSettings
    {
        [CommandOption("--format <NAME>")] [Description("safetensors (default), or sparse: the compressed model for `infer`.")]
        public string Format { get; init; } = "safetensors";
        [CommandOption("--layout <NAME>")] [Description("With --format sparse: auto (default: the fewest bytes per layer), csr, nm (2:4) or dense.")]
        public string Layout { get; init; } = "auto";
        [CommandOption("--out <FILE>")] [Description("File to write.")]
        public string? Out { get; init; }
    }

    public override int Execute(CommandContext context, Settings s, CancellationToken cancellationToken)
    {
        if (s.Run is null) throw new InvalidOptionException("--run is required: the run folder to export");
        if (s.Out is null) throw new InvalidOptionException("--out is required: the file to write");
        if (s.Format is not ("safetensors" or "sparse")) throw new InvalidOptionException($"--format '{s.Format}' is not known; use safetensors or sparse");
        if (!SparseExporter.Layouts.Contains(s.Layout))
            throw new InvalidOptionException($"--layout '{s.Layout}' is not known; use one of: {string.Join(", ", SparseExporter.Layouts)}");
        if (s.Layout != "auto" && s.Format != "sparse") throw new InvalidOptionException("--layout applies only to --format sparse");

        using var saved = SavedRun.Open(s.Run, s.Checkpoint);
        if (s.Format == "sparse") return ExportSparse(saved, s);
        using var mask = saved.LoadMask();
        var entries = saved.Model.state_dict().Select(kv => (kv.Key, kv.Value)).ToList();
        if (mask is not null) entries.AddRange(mask.AsUInt8());
        var (sparsity, _, _) = PrunableParameters.Measure(saved.Prunable);
        SafeTensors.Write(s.Out, entries, new Dictionary<string, string>
        {
            ["model"] = saved.Config.Model, ["dataset"] = saved.Config.Dataset,
            ["width"] = saved.Config.Width.ToString("R", System.Globalization.CultureInfo.InvariantCulture),
            ["input"] = $"{saved.Input.Channels}x{saved.Input.Height}x{saved.Input.Width}", ["classes"] = saved.Input.NumClasses.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["checkpoint"] = s.Checkpoint, ["config_hash"] = ConfigHash.Hash(saved.Config),
        });
        Console.WriteLine($"exported {entries.Count} tensors to {Path.GetFullPath(s.Out)}; measured sparsity {sparsity:F4}" + (mask is null ? " (dense run: no masks)" : ""));
        return 0;
    }

    private static int ExportSparse(SavedRun saved, Settings s)
    {
        var r = SparseExporter.Export(saved, s.Out!, s.Layout);
        long checkpoint = new FileInfo(saved.Folder.CheckpointFile(saved.CheckpointName)).Length;
        Console.WriteLine($"exported {saved.Config.Model} for sparse inference to {r.Path}; measured sparsity {r.Sparsity:F4}");
        foreach (var l in r.Layers)
            Console.WriteLine($"  {l.Name}: {l.Layout} {l.Rows}x{l.Cols}, {l.Nonzero} nonzeros of {(long)l.Rows * l.Cols}, {l.Stored} stored");
        Console.WriteLine($"size: {r.Bytes} bytes; dense fp32 weights {r.DenseBytes} bytes ({(double)r.DenseBytes / r.Bytes:F1}x larger); " +
            $"checkpoint {saved.CheckpointName} {checkpoint} bytes (with optimizer state)");
        return 0;
    }
}
