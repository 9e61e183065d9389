// `sparselab export`: a run's weights (state-dict names) and mask
// (`masks.<name>`, uint8) as safetensors, loadable from Python with
// safetensors.torch.load_file.
using System.ComponentModel;
using SparseLab.Cli.Settings;
using SparseLab.Foundations;
using SparseLab.Sparsity;
using SparseLab.Training;
using Spectre.Console.Cli;
using static TorchSharp.torch;

namespace SparseLab.Cli.Commands;

public sealed class ExportCommand : Command<ExportCommand.Settings>
{
    public sealed class Settings : RunCheckpointSettings
    {
        [CommandOption("--format <NAME>")] [Description("safetensors (default).")]
        public string Format { get; init; } = "safetensors";
        [CommandOption("--out <FILE>")] [Description("File to write.")]
        public string? Out { get; init; }
    }

    public override int Execute(CommandContext context, Settings s, CancellationToken cancellationToken)
    {
        if (s.Run is null) throw new InvalidOptionException("--run is required: the run folder to export");
        if (s.Out is null) throw new InvalidOptionException("--out is required: the file to write");
        if (s.Format != "safetensors") throw new InvalidOptionException($"--format '{s.Format}' is not known; use safetensors");

        using var saved = SavedRun.Open(s.Run, s.Checkpoint);
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
}
