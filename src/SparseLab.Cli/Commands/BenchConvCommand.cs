// `sparselab bench conv`: one masked convolution's training-step time
// (forward and both gradients) on the sparse kernels against libtorch's dense
// convolution with the mask; one JSON line per shape and sparsity.
using System.Text.Json;
using SparseLab.Cli.Options;
using SparseLab.Foundations;
using SparseLab.Training.Kernels;

namespace SparseLab.Cli.Commands;

public sealed class BenchConvCommand : CliCommand<BenchConvCommand.Options>
{
    public sealed record Options
    {
        [Option("Layers as IN:OUT:SIZE:STRIDE[:KERNEL[:PADDING]] (kernel 3 and padding kernel/2 unless given), comma-separated. Default: ResNet-20's on 32×32 images and LeNet-5's.", Value = "LIST")]
        public string[] Shapes { get; init; } = ["3:16:32:1", "16:16:32:1", "16:32:32:2", "32:32:16:1", "32:64:16:2", "64:64:8:1", "1:6:28:1:5:2", "6:16:14:1:5:0"];

        [Option("Also Linear layers (with a bias) as IN:OUT, comma-separated, timed the same way.", Value = "LIST")]
        public string[] Linears { get; init; } = [];

        [Option("Images per step.")]
        public int Batch { get; init; } = 128;

        [Option("Fractions of zeros in [0, 1), comma-separated.", Value = "LIST")]
        public double[] Sparsities { get; init; } = [0.5, 0.7, 0.8, 0.9, 0.95, 0.98, 0.99];

        [Option("Threads for ours and libtorch alike (0: all cores).")]
        public int Threads { get; init; }

        [Option("Seed of the random masks and data.")]
        public int Seed { get; init; }
    }

    public override string Path => "bench conv";
    public override string Description => "A masked Conv2d's (or, with --linears, Linear's) training step (forward, input and weight gradients): sparse kernels vs libtorch's dense layer; one JSON line per shape and sparsity.";
    public override IReadOnlyList<string> Examples => ["bench conv --shapes 16:16:32:1,16:32:32:2 --sparsities 0.8,0.9,0.95"];
    protected override Options Defaults => new();

    protected override int Execute(Bound<Options> bound)
    {
        var s = bound.Value;
        var shapes = s.Shapes.Select(text => ConvShape.Parse(text, nameof(Options.Shapes))).ToList();
        Check.Positive(s.Batch, nameof(Options.Batch));
        foreach (double x in s.Sparsities) Check.Fraction(x, nameof(Options.Sparsities));
        Check.NotNegative(s.Threads, nameof(Options.Threads));
        var linears = s.Linears.Select(text => LinearSize(text, nameof(Options.Linears))).ToList();
        int threads = TorchRuntime.SetThreads(s.Threads, Console.Error.WriteLine);
        foreach (var shape in shapes)
            foreach (double sparsity in s.Sparsities)
            {
                var c = ConvStepBenchmark.Measure(shape, s.Batch, sparsity, threads, s.Seed);
                Console.WriteLine(JsonSerializer.Serialize(new
                {
                    shape = c.Shape.ToString(), weights = (long)shape.In * shape.Out * shape.Kernel * shape.Kernel, batch = c.Batch,
                    sparsity = c.Sparsity, density = Math.Round(c.Density, 4), threads = c.Threads,
                    dense_ms = Math.Round(c.DenseMs, 3), sparse_ms = Math.Round(c.SparseMs, 3), speedup = Math.Round(c.Speedup, 3),
                }));
            }
        foreach (var (inFeatures, outFeatures) in linears)
            foreach (double sparsity in s.Sparsities)
            {
                var (density, denseMs, sparseMs) = ConvStepBenchmark.MeasureLinear(inFeatures, outFeatures, s.Batch, sparsity, s.Seed);
                Console.WriteLine(JsonSerializer.Serialize(new
                {
                    shape = $"{inFeatures}:{outFeatures}", weights = (long)inFeatures * outFeatures, batch = s.Batch, sparsity, density = Math.Round(density, 4), threads,
                    dense_ms = Math.Round(denseMs, 3), sparse_ms = Math.Round(sparseMs, 3), speedup = Math.Round(denseMs / sparseMs, 3),
                }));
            }
        return 0;
    }

    private static (int In, int Out) LinearSize(string text, string field)
    {
        var parts = text.Split(':');
        Check.That(parts.Length == 2 && int.TryParse(parts[0], out int i) && int.TryParse(parts[1], out int o) && i > 0 && o > 0,
            $"{ConfigError.Field(field)} '{text}' is not IN:OUT with positive sizes (for example 784:300)");
        return (int.Parse(parts[0]), int.Parse(parts[1]));
    }
}
