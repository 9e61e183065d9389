// `sparselab inspect`: a model's parameters; with --run, the weights of one of
// that run's checkpoints with measured nonzeros, and per-layer forward FLOPs
// dense vs sparse at the model's input size.
using SparseLab.Cli.Options;
using SparseLab.Data;
using SparseLab.Foundations;
using SparseLab.Models;
using SparseLab.Sparsity;
using SparseLab.Training;
using Spectre.Console;
using TorchSharp;
using static TorchSharp.torch;

namespace SparseLab.Cli.Commands;

public sealed class InspectCommand : CliCommand<InspectCommand.Options>
{
    public sealed record Options
    {
        public RunCheckpoint Source { get; init; } = new();
        public ModelConfig Model { get; init; } = new();
        public DataConfig Data { get; init; } = new();
    }

    public override string Path => "inspect";
    public override string Description => "Show a model's layers and parameter counts (--model), or a run's measured weights (--run).";
    public override IReadOnlyList<string> Examples => ["inspect --model resnet20 --dataset cifar10", "inspect --run runs/lenet5 --checkpoint final"];
    protected override Options Defaults => new();

    protected override IReadOnlyList<Excluded> Excluded =>
    [
        new("Model.InitSeed", "inspect builds the model from seed 1"),
        new("Model.InitFrom", "give a run with --run"),
        new("Data.DataDir", "inspect reads no data"),
        new("Data.LimitTrain", "inspect reads no data"),
        new("Data.LimitTest", "inspect reads no data"),
        new("Data.Val", "inspect reads no data"),
        new("Data.LabelNoise", "inspect reads no data"),
        new("Data.NoiseSeed", "inspect reads no data"),
    ];

    protected override int Execute(Bound<Options> bound)
    {
        var s = bound.Value;
        bool fromRun = s.Source.Run is not null;
        Check.That(!fromRun || !(bound.Sources.ContainsKey("Model.Name") || bound.Sources.ContainsKey("Data.Dataset") || bound.Sources.ContainsKey("Model.Width")),
            $"{ConfigError.Field("Source.Run")} shows the run's own model; drop {ConfigError.Field("Model.Name")}, {ConfigError.Field("Data.Dataset")} and {ConfigError.Field("Model.Width")}");
        using var saved = fromRun ? SavedRun.Open(s.Source.Run!, s.Source.Checkpoint) : null;
        var config = saved?.Config ?? new TrainConfig { Model = s.Model, Data = s.Data };
        var input = Training.Tasks.TaskRegistry.For(config).ModelInput(config);
        torch.manual_seed(config.Seed);
        using var fresh = saved is null ? ModelRegistry.Create(ModelSpec.For(config.Model, input)) : null;
        var model = saved?.Model ?? fresh!;

        AnsiConsole.MarkupLine(Markup.Escape($"{config.Model.Name} for {config.Data.Dataset} ({input.Channels}x{input.Height}x{input.Width}, {input.NumClasses} classes)"
            + (saved is null ? "" : $", weights of {saved.Folder.Path} [{s.Source.Checkpoint}]")));
        var parameters = new Table().AddColumns("parameter", "shape", "params");
        long total = 0;
        foreach (var (name, p) in model.named_parameters())
        {
            total += p.numel();
            parameters.AddRow(name, $"({string.Join(", ", p.shape)})", $"{p.numel():N0}");
        }
        AnsiConsole.Write(parameters);
        Console.WriteLine($"parameters: {total:N0}");

        var prunable = PrunableParameters.For(model, config.Sparsity).Select(p => p.Name).ToHashSet();
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
