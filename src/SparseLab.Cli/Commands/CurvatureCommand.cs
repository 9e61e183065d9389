// `sparselab curvature`: the curvature companions of METHODS §6 for one
// checkpoint of a saved run (top Hessian eigenvalue, Hessian trace, mean
// input-Jacobian norm), printed and optionally written as JSON.
using System.Globalization;
using SparseLab.Cli.Options;
using SparseLab.Data;
using SparseLab.Foundations;
using SparseLab.Information;
using SparseLab.Training;
using TorchSharp;

namespace SparseLab.Cli.Commands;

public sealed class CurvatureCommand : CliCommand<CurvatureCommand.Options>
{
    public sealed record Options
    {
        public RunCheckpoint Source { get; init; } = new();
        public CurvatureOptions Curvature { get; init; } = new();

        [Option("Dataset folder, if not the run's.", Value = "DIR")]
        public string? DataDir { get; init; }

        [Option("libtorch threads (default: the run's setting; 0: all cores).")]
        public int? Threads { get; init; }

        [Option("cpu, cuda or auto.", OneOf = typeof(TorchRuntime))]
        public string Device { get; init; } = "cpu";

        [Option("JSON file to write the numbers into.", Value = "FILE", IsPath = true)]
        public string? Out { get; init; }
    }

    public override string Path => "curvature";
    public override string Description => "Top Hessian eigenvalue, Hessian trace and input-Jacobian norm of a saved run's checkpoint (METHODS §6).";
    public override IReadOnlyList<string> Examples => ["curvature --run runs/lenet5 --out curvature.json"];
    protected override Options Defaults => new();

    protected override int Execute(Bound<Options> bound)
    {
        var s = bound.Value;
        Check.Section(s.Source, nameof(Options.Source));
        s.Source.RefuseOverwrite(s.Out, nameof(Options.Out));
        Check.That(s.Threads is null or >= 0, nameof(Options.Threads), $"must be 0 (all cores) or positive, got {s.Threads}");
        Check.That(s.Out is null || !Directory.Exists(s.Out), nameof(Options.Out), $"'{s.Out}' is a folder; give a .json file to write");
        Check.Section(s.Curvature, nameof(Options.Curvature));
        var device = TorchRuntime.ResolveDevice(s.Device);

        using var saved = SavedRun.Open(s.Source.Run!, s.Source.Checkpoint);
        using var mask = saved.LoadMask();
        var config = saved.Config;
        TorchRuntime.SetThreads(s.Threads ?? config.Runtime.Threads, Console.Error.WriteLine);
        using var data = DatasetCatalog.Load(DataOptions.For(config.Data with { DataDir = s.DataDir ?? config.Data.DataDir }));
        Check.That(s.Curvature.Samples <= data.Train.Count, "Curvature.Samples",
            $"{s.Curvature.Samples}: the run's training set has only {data.Train.Count} examples; use at most {data.Train.Count}");

        saved.Model.to(device);
        var curvature = CurvatureProbe.Measure(saved.Model, data.Train, data.Info, mask, s.Curvature, device);

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"top_eigenvalue {curvature.TopEigenvalue:G6}"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"hessian_trace  {curvature.HessianTrace:G6}"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"jacobian_norm  {curvature.JacobianNorm:G6}"));
        Console.WriteLine($"measured on {curvature.Samples} training examples of {System.IO.Path.GetFullPath(saved.Folder.Path)}:{s.Source.Checkpoint}" +
                          (mask is null ? "" : string.Create(CultureInfo.InvariantCulture, $", restricted to the mask (sparsity {mask.Sparsity:F4})")));
        if (s.Out is not null)
        {
            AtomicFile.WriteAllText(s.Out, Json.Serialize(new CurvatureRecord(
                curvature.TopEigenvalue, curvature.HessianTrace, curvature.JacobianNorm, curvature.Samples, System.IO.Path.GetFullPath(saved.Folder.Path), s.Source.Checkpoint)));
            Console.WriteLine($"curvature: {System.IO.Path.GetFullPath(s.Out)}");
        }
        return 0;
    }

    private sealed record CurvatureRecord(double TopEigenvalue, double HessianTrace, double JacobianNorm, int Samples, string Run, string Checkpoint);
}
