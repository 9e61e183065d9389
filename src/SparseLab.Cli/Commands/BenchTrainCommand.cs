// `sparselab bench train`: training throughput per model, one JSON line each.
using System.Text.Json;
using SparseLab.Cli.Options;
using SparseLab.Foundations;
using SparseLab.Models;
using SparseLab.Training;

namespace SparseLab.Cli.Commands;

public sealed class BenchTrainCommand : CliCommand<BenchTrainCommand.Options>
{
    public sealed record Options
    {
        [Option("The models to time, comma-separated; gpt is the character-level language model (batch 32 of 128 tokens, AdamW; tokens/s).", OneOf = typeof(BenchTrainCommand), Value = "LIST")]
        public string[] Models { get; init; } = ["mlp", "lenet5", "resnet20", "resnet32"];

        [Option("Batch size.")]
        public int BatchSize { get; init; } = 128;

        [Option("Timed steps per model.")]
        public int Steps { get; init; } = 50;

        [Option("Untimed steps first.")]
        public int Warmup { get; init; } = 5;

        [Option("CPU threads (0: all cores).")]
        public int Threads { get; init; }

        [Option("Also enforce a global-magnitude mask of this sparsity every step (masked-training overhead).", Value = "S")]
        public double Sparsity { get; init; }

        [Option("Kernels of the masked layers (with --sparsity): dense (dense product, mask applied), sparse (CSR kernels on every layer that has one), " +
            "auto (what a run would choose).", OneOf = typeof(RuntimeConfig), Requires = ["Sparsity>0"])]
        public string Kernels { get; init; } = "dense";

        [Option("cpu, cuda or auto.", OneOf = typeof(TorchRuntime))]
        public string Device { get; init; } = "cpu";
    }

    /// <summary>The --models names: every registered classifier and gpt.</summary>
    public static NameSet Names { get; } = new([.. ModelRegistry.Names]);

    public override string Path => "bench train";
    public override string Description => "Training throughput (images/s) of full SGD steps; one JSON line per model.";
    protected override Options Defaults => new();

    protected override int Execute(Bound<Options> bound)
    {
        var s = bound.Value;
        Check.Fraction(s.Sparsity, nameof(Options.Sparsity));
        Check.Positive(s.BatchSize, nameof(Options.BatchSize));
        Check.Positive(s.Steps, nameof(Options.Steps));
        Check.NotNegative(s.Warmup, nameof(Options.Warmup));
        Check.NotNegative(s.Threads, nameof(Options.Threads));
        TorchRuntime.SetThreads(s.Threads, Console.Error.WriteLine);
        var device = TorchRuntime.ResolveDevice(s.Device);
        Check.That(s.Sparsity == 0 || !s.Models.Contains("gpt"), $"{ConfigError.Field(nameof(Options.Sparsity))} is for the classifiers; gpt is timed dense");
        foreach (var m in s.Models)
        {
            if (m == "gpt")
            {
                // nanoGPT's character-level batch (32 × 128 tokens) unless --batch-size is given.
                int batch = bound.Sources.ContainsKey(nameof(Options.BatchSize)) ? s.BatchSize : 32;
                var g = GptThroughput.Measure(new GptConfig(), batch, s.Steps, s.Warmup, device);
                Console.WriteLine(JsonSerializer.Serialize(new
                {
                    model = "gpt", batch = g.Batch, block_size = g.Config.BlockSize, layers = g.Config.Layers, heads = g.Config.Heads,
                    embedding = g.Config.Embedding, threads = g.Threads, steps = g.Steps,
                    tokens_per_s = Math.Round(g.TokensPerS, 1), @params = g.Params, framework = g.Framework, openmp_wait = OpenMpWaitPolicy.Applied,
                }));
                continue;
            }
            var r = TrainThroughput.Measure(m, s.BatchSize, s.Steps, s.Warmup, device, s.Sparsity, s.Kernels, Console.Error.WriteLine);
            if (s.Kernels == "auto" && r.Layers.Count > 0) Console.Error.WriteLine($"{m}: kernels (auto): {Training.Kernels.KernelPlan.Describe(r.Layers)}");
            Console.WriteLine(JsonSerializer.Serialize(new
            {
                model = r.Model, batch = r.Batch, threads = r.Threads, steps = r.Steps, sparsity = r.Sparsity, kernels = r.Kernels,
                sparse_layers = string.Join(",", r.Layers.Where(l => l.Kernels == "sparse").Select(l => l.Layer)),
                images_per_s = Math.Round(r.ImagesPerS, 1), @params = r.Params, framework = r.Framework, openmp_wait = OpenMpWaitPolicy.Applied,
            }));
        }
        return 0;
    }
}
