// `sparselab bench profile`: where one training step's time goes, dense or on
// the sparse kernels (Training/Kernels/StepProfile); one JSON line.
using System.Text.Json;
using SparseLab.Cli.Options;
using SparseLab.Foundations;
using SparseLab.Models;
using SparseLab.Training.Kernels;

namespace SparseLab.Cli.Commands;

public sealed class BenchProfileCommand : CliCommand<BenchProfileCommand.Options>
{
    public sealed record Options
    {
        [Option("The model to profile.", OneOf = typeof(BenchProfileCommand))]
        public string Model { get; init; } = "resnet20";

        [Option("Batch size.")]
        public int BatchSize { get; init; } = 128;

        [Option("Timed steps (the phases' medians).")]
        public int Steps { get; init; } = 20;

        [Option("Untimed steps first.")]
        public int Warmup { get; init; } = 3;

        [Option("CPU threads (0: all cores).")]
        public int Threads { get; init; }

        [Option("Enforce a global-magnitude mask of this sparsity every step.", Value = "S")]
        public double Sparsity { get; init; }

        [Option("Kernels of the masked layers: dense (dense product, mask applied), sparse (CSR kernels on every layer that has one), auto (what a run would choose).",
            OneOf = typeof(RuntimeConfig), Requires = ["Sparsity>0"])]
        public string Kernels { get; init; } = "dense";
    }

    /// <summary>The --model names: every registered classifier.</summary>
    public static NameSet Names => ModelRegistry.Names;

    public override string Path => "bench profile";
    public override string Description => "Where a training step's time goes: the real step's phases (forward, backward, optimizer, write-back) and each Conv2d, BatchNorm2d and Linear layer timed alone, by kind; one JSON line.";
    public override IReadOnlyList<string> Examples => ["bench profile --model resnet20 --sparsity 0.95 --kernels sparse"];
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
        var p = StepProfile.Measure(s.Model, s.BatchSize, s.Steps, s.Warmup, s.Sparsity, s.Kernels);
        static double R(double ms) => Math.Round(ms, 3);
        Console.WriteLine(JsonSerializer.Serialize(new
        {
            model = p.Model, batch = p.Batch, threads = p.Threads, sparsity = p.Sparsity, kernels = p.Kernels, openmp_wait = OpenMpWaitPolicy.Applied,
            step_ms = R(p.Phases.StepMs), forward_ms = R(p.Phases.ForwardMs), backward_ms = R(p.Phases.BackwardMs),
            optimizer_ms = R(p.Phases.OptimizerMs), after_step_ms = R(p.Phases.AfterStepMs),
            ops = p.Ops.Append(p.Other).Select(o => new { op = o.Op, layers = o.Layers, forward_ms = R(o.ForwardMs), backward_ms = R(o.BackwardMs) }),
        }));
        return 0;
    }
}
