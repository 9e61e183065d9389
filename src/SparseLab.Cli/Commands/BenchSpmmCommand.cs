// `sparselab bench spmm`: our sparse × dense kernel against libtorch dense and
// sparse matrix products on the same random data; one JSON line per sparsity.
using System.ComponentModel;
using System.Globalization;
using System.Text.Json;
using SparseLab.Foundations;
using SparseLab.Inference;
using Spectre.Console.Cli;

namespace SparseLab.Cli.Commands;

public sealed class BenchSpmmCommand : Command<BenchSpmmCommand.Settings>
{
    public sealed class Settings : CommandSettings
    {
        [CommandOption("--rows <N>")] [Description("Weight rows (outputs; default 4096).")]
        public int Rows { get; init; } = 4096;
        [CommandOption("--cols <N>")] [Description("Weight columns (inputs; default 4096).")]
        public int Cols { get; init; } = 4096;
        [CommandOption("--batch <N>")] [Description("Activation columns (default 64).")]
        public int Batch { get; init; } = 64;
        [CommandOption("--sparsities <LIST>")] [Description("Comma-separated fractions of zeros in [0, 1) (default 0.5,0.7,0.9,0.95,0.99).")]
        public string Sparsities { get; init; } = "0.5,0.7,0.9,0.95,0.99";
        [CommandOption("--layout <NAME>")] [Description("csr (default) or nm: a random 2:4 weight (sparsity 0.5 only).")]
        public string Layout { get; init; } = "csr";
        [CommandOption("--threads <N>")] [Description("Threads for ours and libtorch alike (default: all cores).")]
        public int Threads { get; init; }
        [CommandOption("--seed <N>")] [Description("Seed of the random weights and activations (default 0).")]
        public int Seed { get; init; }
    }

    public override int Execute(CommandContext context, Settings s, CancellationToken cancellationToken)
    {
        if (s.Rows < 1 || s.Cols < 1 || s.Batch < 1)
            throw new InvalidOptionException($"--rows {s.Rows}, --cols {s.Cols} and --batch {s.Batch} must all be at least 1");
        if ((long)s.Rows * s.Cols > Array.MaxLength || (long)s.Cols * s.Batch > Array.MaxLength)
            throw new InvalidOptionException($"--rows {s.Rows} x --cols {s.Cols} (or --cols x --batch) is too large for one array");
        if (s.Layout is not ("csr" or "nm")) throw new InvalidOptionException($"--layout '{s.Layout}' is not known; use csr or nm");
        var sparsities = ParseSparsities(s.Sparsities);
        if (s.Layout == "nm" && sparsities.Any(x => x != 0.5))
            throw new InvalidOptionException("--layout nm benchmarks 2:4 weights, whose sparsity is 0.5; pass --sparsities 0.5");
        if (s.Layout == "nm" && s.Cols % 4 != 0) throw new InvalidOptionException($"--layout nm needs --cols divisible by 4, not {s.Cols}");
        if (s.Threads < 0) throw new InvalidOptionException($"--threads {s.Threads}: must be 0 (all cores) or more");
        int threads = TorchRuntime.SetThreads(s.Threads);
        foreach (double sparsity in sparsities)
        {
            var c = SpmmBenchmark.Measure(s.Rows, s.Cols, s.Batch, sparsity, threads, s.Layout, s.Seed);
            Console.WriteLine(JsonSerializer.Serialize(new
            {
                layout = c.Layout, sparsity = c.Sparsity, rows = c.Rows, cols = c.Cols, batch = c.Batch, threads = c.Threads, nnz = c.Nonzeros,
                ours_ms = Math.Round(c.OursMs, 4), dense_ms = Math.Round(c.DenseMs, 4), torch_sparse_ms = Math.Round(c.TorchSparseMs, 4),
                gflops = Math.Round(c.Gflops, 2), speedup_vs_dense = Math.Round(c.SpeedupVsDense, 3),
                speedup_vs_torch_sparse = Math.Round(c.SpeedupVsTorchSparse, 3), max_rel_err = c.MaxRelError,
                torch_sparse = "coo", isa = Isa,
            }));
        }
        return 0;
    }

    private static string Isa =>
        System.Runtime.Intrinsics.Vector512.IsHardwareAccelerated ? "avx512"
        : System.Runtime.Intrinsics.X86.Fma.IsSupported ? "avx+fma" : "scalar";

    private static double[] ParseSparsities(string list)
    {
        var parts = list.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length == 0) throw new InvalidOptionException("--sparsities is empty; give fractions such as 0.7,0.9,0.95");
        return [.. parts.Select(p => double.TryParse(p, NumberStyles.Float, CultureInfo.InvariantCulture, out double v) && v is >= 0 and < 1
            ? v : throw new InvalidOptionException($"--sparsities: '{p}' is not a fraction in [0, 1)"))];
    }
}
