// `sparselab inspect`: a model's parameters; with --run, the weights of one of
// that run's checkpoints with measured nonzeros, and per-layer forward FLOPs
// dense vs sparse at the model's input size.
using System.ComponentModel;
using SparseLab.Data;
using SparseLab.Cli.Settings;
using SparseLab.Foundations;
using SparseLab.Models;
using SparseLab.Sparsity;
using SparseLab.Training;
using Spectre.Console;
using Spectre.Console.Cli;
using TorchSharp;
using static TorchSharp.torch;

namespace SparseLab.Cli.Commands;

public sealed class InspectCommand : Command<InspectCommand.Settings>
{
    public sealed class Settings : RunCheckpointSettings
    {
        [CommandOption("--model <NAME>")] [Description("Model to describe (default lenet5).")]
        public string? Model { get; init; }
        [CommandOption("--dataset <NAME>")] [Description("Dataset whose input shape and classes to use (default fashion-mnist).")]
        public string? Dataset { get; init; }
        [CommandOption("--width <X>")] [Description("Channel multiplier (default 1).")]
        public double? Width { get; init; }
    }

    public override int Execute(CommandContext context, Settings s, CancellationToken cancellationToken)
    {
        using var saved = s.Run is null ? null : SavedRun.Open(s.Run, s.Checkpoint);
        var config = saved?.Config ?? new TrainConfig { Model = s.Model ?? "lenet5", Dataset = s.Dataset ?? "fashion-mnist", Width = s.Width ?? 1.0 };
        if (saved is null && !ModelRegistry.Names.Contains(config.Model))
            throw new InvalidOptionException($"--model '{config.Model}' is not known; use one of: {string.Join(", ", ModelRegistry.Names)}");
        var input = DatasetShapes.Of(config.Dataset);
        torch.manual_seed(config.Seed);
        using var fresh = saved is null ? ModelRegistry.Create(new ModelSpec(config.Model, input.Channels, input.Height, input.Width, input.NumClasses, config.Width)) : null;
        var model = saved?.Model ?? fresh!;

        AnsiConsole.MarkupLine(Markup.Escape($"{config.Model} for {config.Dataset} ({input.Channels}x{input.Height}x{input.Width}, {input.NumClasses} classes)"
            + (saved is null ? "" : $", weights of {saved.Folder.Path} [{s.Checkpoint}]")));
        var parameters = new Table().AddColumns("parameter", "shape", "params");
        long total = 0;
        foreach (var (name, p) in model.named_parameters())
        {
            total += p.numel();
            parameters.AddRow(name, $"({string.Join(", ", p.shape)})", $"{p.numel():N0}");
        }
        AnsiConsole.Write(parameters);
        Console.WriteLine($"parameters: {total:N0}");

        var prunable = PrunableParameters.Of(model, config.KeepFirstDense, config.KeepLastDense).Select(p => p.Name).ToHashSet();
        var costs = SparsityAccounting.Measure(model, input);
        var layers = new Table().AddColumns("layer", "kind", "params", "nonzero", "sparsity", "FLOPs dense", "FLOPs sparse");
        foreach (var c in costs)
            layers.AddRow(c.Name + (prunable.Contains(c.Name) ? "" : " (dense)"), c.Kind, $"{c.Params:N0}", $"{c.Nonzero:N0}",
                $"{1 - (double)c.Nonzero / c.Params:F4}", $"{c.FlopsDense:N0}", $"{c.FlopsSparse:N0}");
        long p0 = costs.Sum(c => c.Params), nz = costs.Sum(c => c.Nonzero), fd = costs.Sum(c => c.FlopsDense), fs = costs.Sum(c => c.FlopsSparse);
        layers.AddRow("total", "", $"{p0:N0}", $"{nz:N0}", $"{1 - (double)nz / p0:F4}", $"{fd:N0}", $"{fs:N0}");
        AnsiConsole.Write(layers);
        var (sparsity, nonzero, count) = PrunableParameters.Measure(model.named_parameters().Where(p => prunable.Contains(p.name)).Select(p => (p.name, p.parameter)));
        Console.WriteLine($"measured sparsity over prunable weights: {sparsity:F4} ({nonzero:N0} of {count:N0} nonzero); FLOPs (multiply-accumulates per example): {fs:N0} of {fd:N0} dense ({(double)fs / fd:P1})");
        return 0;
    }
}
