// `sparselab inspect`: a model's layers and parameter counts; with --run, the
// trained weights of that run with their measured nonzeros.
using System.ComponentModel;
using SparseLab.Data;
using SparseLab.Foundations;
using SparseLab.Models;
using SparseLab.Sparsity;
using SparseLab.Training;
using Spectre.Console;
using Spectre.Console.Cli;
using TorchSharp;

namespace SparseLab.Cli.Commands;

public sealed class InspectCommand : Command<InspectCommand.Settings>
{
    public sealed class Settings : CommandSettings
    {
        [CommandOption("--model <NAME>")] [Description("Model to describe (default lenet5).")]
        public string? Model { get; init; }
        [CommandOption("--dataset <NAME>")] [Description("Dataset whose input shape and classes to use (default fashion-mnist).")]
        public string? Dataset { get; init; }
        [CommandOption("--width <X>")] [Description("Channel multiplier (default 1).")]
        public double? Width { get; init; }
        [CommandOption("--run <DIR>")] [Description("A run folder: describe its model with the weights of a checkpoint.")]
        public string? Run { get; init; }
        [CommandOption("--checkpoint <NAME>")] [Description("Checkpoint of --run: final (default), last or init.")]
        public string Checkpoint { get; init; } = "final";
    }

    public override int Execute(CommandContext context, Settings s, CancellationToken cancellationToken)
    {
        TrainConfig config;
        RunFolder? run = null;
        if (s.Run is not null)
        {
            run = new RunFolder(s.Run);
            config = run.ReadConfig() ?? throw new InvalidOptionException($"--run '{s.Run}' is not a SparseLab run folder (no config.json)");
        }
        else
        {
            config = new TrainConfig { Model = s.Model ?? "lenet5", Dataset = s.Dataset ?? "fashion-mnist", Width = s.Width ?? 1.0 };
        }
        var shape = DatasetShapes.Of(config.Dataset);
        torch.manual_seed(config.Seed);
        using var model = ModelRegistry.Create(new ModelSpec(config.Model, shape.Channels, shape.Height, shape.Width, shape.NumClasses, config.Width));
        if (run is not null)
        {
            string file = run.CheckpointFile(s.Checkpoint);
            if (!File.Exists(file))
                throw new SparseLabException($"--checkpoint '{s.Checkpoint}': {file} does not exist; this run has: " +
                    string.Join(", ", Directory.Exists(run.CheckpointDir) ? Directory.GetFiles(run.CheckpointDir, "*.ckpt").Select(Path.GetFileNameWithoutExtension) : []));
            Training.Checkpoint.Load(file, model);
        }

        var prunable = PrunableParameters.Of(model).Select(p => p.Name).ToHashSet();
        var table = new Table().AddColumns("parameter", "shape", "params", "nonzero", "sparsity");
        long total = 0;
        foreach (var (name, p) in model.named_parameters())
        {
            long n = p.numel(), nz = p.count_nonzero().item<long>();
            total += n;
            table.AddRow(name + (prunable.Contains(name) ? " *" : ""), $"({string.Join(", ", p.shape)})", $"{n:N0}", $"{nz:N0}", $"{1 - (double)nz / n:F4}");
        }
        var (sparsity, nonzero, prunableTotal) = PrunableParameters.Measure(model);
        AnsiConsole.MarkupLine(Markup.Escape($"{config.Model} for {config.Dataset} ({shape.Channels}x{shape.Height}x{shape.Width}, {shape.NumClasses} classes)" + (run is null ? "" : $", weights of {run.Path} [{s.Checkpoint}]")));
        AnsiConsole.Write(table);
        Console.WriteLine($"parameters: {total:N0}; prunable (*): {prunableTotal:N0}, nonzero {nonzero:N0}, sparsity {sparsity:F4}");
        return 0;
    }
}
