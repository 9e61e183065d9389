// `sparselab bench infer`: forward time of a sparse model file with our engine
// against libtorch's dense forward of the same weights; one JSON line per batch size.
using System.Text.Json;
using SparseLab.Cli.Options;
using SparseLab.Foundations;
using SparseLab.Data;
using SparseLab.Inference;
using SparseLab.Models;
using SparseLab.Training;
using TorchSharp;

namespace SparseLab.Cli.Commands;

public sealed class BenchInferCommand : CliCommand<BenchInferCommand.Options>
{
    public sealed record Options
    {
        [Option("Sparse model file written by export --format sparse.", Value = "FILE", IsPath = true)]
        public string? ModelFile { get; init; }

        [Option("Batch sizes, comma-separated.", Value = "LIST", Requires = ["ModelFile"])]
        public int[] BatchSizes { get; init; } = [1, 64, 256];

        [Option("Threads for ours and libtorch alike (0: all cores).")]
        public int Threads { get; init; }

        [Option("Time generation of a language model instead of a model file: gpt (tokens/s, dense and pruned, libtorch and the sparse kernel).", Value = "NAME")]
        public string? Model { get; init; }

        [Option("With --model gpt: the run folder whose weights generate (default: a freshly initialized GPT of the default size).", Value = "DIR", IsPath = true,
            Requires = ["Model"])]
        public string? Run { get; init; }

        [Option("With --model gpt: the sparsity the Linear weights are pruned to (by magnitude, per layer) for the sparse timings.", Value = "S", Requires = ["Model"])]
        public double Sparsity { get; init; } = 0.9;

        [Option("With --model gpt: tokens generated per timing.", Requires = ["Model"])]
        public int Tokens { get; init; } = 256;
    }

    public override string Path => "bench infer";
    public override string Description =>
        "Forward time of a sparse model file: our engine vs libtorch's dense forward of the same weights; one JSON line per batch size. " +
        "With --model gpt: generation tokens/s, dense and pruned to --sparsity, on libtorch and on the sparse kernel.";
    protected override Options Defaults => new();

    protected override int Execute(Bound<Options> bound)
    {
        var s = bound.Value;
        if (s.Model is not null) return Generation(s);
        Check.That(s.ModelFile is not null, nameof(Options.ModelFile), "is required: a file written by `sparselab export --format sparse`");
        Check.That(File.Exists(s.ModelFile), nameof(Options.ModelFile), $"'{s.ModelFile}' does not exist");
        foreach (int b in s.BatchSizes) Check.Positive(b, nameof(Options.BatchSizes));
        Check.NotNegative(s.Threads, nameof(Options.Threads));
        var net = SparseNetwork.Load(s.ModelFile!);
        int threads = TorchRuntime.SetThreads(s.Threads, Console.Error.WriteLine);
        foreach (int batch in s.BatchSizes)
        {
            var c = InferBenchmark.Measure(net, batch, threads);
            Console.WriteLine(JsonSerializer.Serialize(new
            {
                model = c.Model, width = c.Width, batch = c.Batch, threads = c.Threads, sparsity = Math.Round(c.Sparsity, 4),
                stored_weights = c.Stored, dense_weights = c.Dense, ours_ms = Math.Round(c.OursMs, 4), torch_dense_ms = Math.Round(c.TorchDenseMs, 4),
                speedup_vs_dense = Math.Round(c.Speedup, 3), max_rel_err = c.MaxRelError,
            }));
        }
        return 0;
    }

    /// <summary>Generation tokens/s of a GPT: dense and pruned on libtorch, pruned on the CSR kernel; one JSON line.</summary>
    private static int Generation(Options s)
    {
        Check.That(s.Model == ModelRegistry.LanguageModel, nameof(Options.Model), $"'{s.Model}' is not a language model; use gpt (image models: --model-file FILE)");
        Check.That(s.ModelFile is null, $"{ConfigError.Field(nameof(Options.ModelFile))} does not combine with {ConfigError.Field(nameof(Options.Model))}");
        Check.Fraction(s.Sparsity, nameof(Options.Sparsity));
        Check.Positive(s.Tokens, nameof(Options.Tokens));
        Check.NotNegative(s.Threads, nameof(Options.Threads));
        int threads = TorchRuntime.SetThreads(s.Threads, Console.Error.WriteLine);
        using var saved = s.Run is null ? null : SavedRun.Open(s.Run);
        Check.That(saved is null || saved.Config.Model.Name == ModelRegistry.LanguageModel, $"{ConfigError.Field(nameof(Options.Run))} '{s.Run}' is not a gpt run");
        torch.manual_seed(0);
        using var fresh = saved is null ? ModelRegistry.Create(ModelSpec.For(new ModelConfig { Name = ModelRegistry.LanguageModel }, InputShape.Text(128))) : null;
        var model = (RoutedModule)(saved?.Model ?? fresh!);
        int block = saved?.Config.Model.BlockSize ?? new ModelConfig().BlockSize;
        var c = GenerationBenchmark.Measure(model, block, s.Sparsity, s.Tokens, threads);
        Console.WriteLine(JsonSerializer.Serialize(new
        {
            model = "gpt", run = s.Run, tokens = c.Tokens, threads = c.Threads, sparsity = Math.Round(c.Sparsity, 4),
            dense_tokens_per_s = Math.Round(c.DenseTokensPerS, 1), pruned_torch_tokens_per_s = Math.Round(c.PrunedTorchTokensPerS, 1),
            sparse_tokens_per_s = Math.Round(c.SparseTokensPerS, 1), speedup_vs_dense = Math.Round(c.Speedup, 3),
            same_text = c.SameText, max_rel_err = c.MaxRelError,
        }));
        return 0;
    }
}
