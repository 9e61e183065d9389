// `sparselab bench train`: training throughput per model, one JSON line each.
using System.ComponentModel;
using System.Text.Json;
using SparseLab.Foundations;
using SparseLab.Models;
using SparseLab.Training;
using Spectre.Console.Cli;

namespace SparseLab.Cli.Commands;

public sealed class BenchTrainCommand : Command<BenchTrainCommand.Settings>
{
    public sealed class Settings : CommandSettings
    {
        [CommandOption("--models <LIST>")] [Description("Comma-separated models (default mlp,lenet5,resnet20,resnet32).")]
        public string Models { get; init; } = "mlp,lenet5,resnet20,resnet32";
        [CommandOption("--batch-size <N>")] [Description("Batch size (default 128).")]
        public int BatchSize { get; init; } = 128;
        [CommandOption("--steps <N>")] [Description("Timed steps per model (default 50).")]
        public int Steps { get; init; } = 50;
        [CommandOption("--warmup <N>")] [Description("Untimed steps first (default 5).")]
        public int Warmup { get; init; } = 5;
        [CommandOption("--threads <N>")] [Description("CPU threads (default: all cores).")]
        public int Threads { get; init; }
        [CommandOption("--sparsity <S>")] [Description("Also enforce a global-magnitude mask of this sparsity every step (masked-training overhead); default 0.")]
        public double Sparsity { get; init; }
        [CommandOption("--device <NAME>")] [Description("cpu (default), cuda or auto.")]
        public string Device { get; init; } = "cpu";
    }

    public override int Execute(CommandContext context, Settings s, CancellationToken cancellationToken)
    {
        var models = s.Models.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        foreach (var m in models)
            if (!ModelRegistry.Names.Contains(m))
                throw new InvalidOptionException($"--models: '{m}' is not known; use any of: {string.Join(", ", ModelRegistry.Names)}");
        if (s.Sparsity is < 0 or >= 1)
            throw new InvalidOptionException($"--sparsity {s.Sparsity}: must be in [0, 1)");
        if (s.BatchSize < 1 || s.Steps < 1 || s.Warmup < 0)
            throw new InvalidOptionException("--batch-size and --steps must be at least 1, --warmup at least 0");
        TorchRuntime.SetThreads(s.Threads);
        var device = TorchRuntime.ResolveDevice(s.Device);
        foreach (var m in models)
        {
            var r = TrainThroughput.Measure(m, s.BatchSize, s.Steps, s.Warmup, device, s.Sparsity);
            Console.WriteLine(JsonSerializer.Serialize(new
            {
                model = r.Model, batch = r.Batch, threads = r.Threads, steps = r.Steps, sparsity = r.Sparsity,
                images_per_s = Math.Round(r.ImagesPerS, 1), @params = r.Params, framework = r.Framework,
            }));
        }
        return 0;
    }
}
