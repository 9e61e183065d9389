// `sparselab curvature`: the curvature companions of METHODS §6 for one
// checkpoint of a saved run (top Hessian eigenvalue, Hessian trace, mean
// input-Jacobian norm), printed and optionally written as JSON.
using System.ComponentModel;
using System.Globalization;
using SparseLab.Cli.Settings;
using SparseLab.Data;
using SparseLab.Foundations;
using SparseLab.Information;
using SparseLab.Training;
using Spectre.Console.Cli;
using TorchSharp;

namespace SparseLab.Cli.Commands;

public sealed class CurvatureCommand : Command<CurvatureCommand.Settings>
{
    public sealed class Settings : RunCheckpointSettings
    {
        [CommandOption("--samples <N>")] [Description("The loss is the mean cross-entropy over the first N training examples (default 512).")]
        public int Samples { get; init; } = 512;
        [CommandOption("--batch-size <N>")] [Description("Examples per pass (default 128).")]
        public int BatchSize { get; init; } = 128;
        [CommandOption("--iterations <N>")] [Description("Power-iteration steps for the top eigenvalue (default 20).")]
        public int Iterations { get; init; } = 20;
        [CommandOption("--hutchinson <N>")] [Description("Rademacher probes for the Hessian trace (default 20).")]
        public int Hutchinson { get; init; } = 20;
        [CommandOption("--seed <N>")] [Description("Seed of the random start vector and probes (default 1).")]
        public long Seed { get; init; } = 1;
        [CommandOption("--data-dir <DIR>")] [Description("Dataset folder, if not the run's.")]
        public string? DataDir { get; init; }
        [CommandOption("--threads <N>")] [Description("libtorch threads (default: the run's setting; 0 = all cores).")]
        public int? Threads { get; init; }
        [CommandOption("--device <NAME>")] [Description("cpu (default), cuda or auto.")]
        public string Device { get; init; } = "cpu";
        [CommandOption("--out <FILE>")] [Description("JSON file to write the numbers into.")]
        public string? Out { get; init; }
    }

    public override int Execute(CommandContext context, Settings s, CancellationToken cancellationToken)
    {
        if (s.Run is null) throw new InvalidOptionException("--run is required: the run folder to measure");
        if (s.Threads is < 0) throw new InvalidOptionException($"--threads {s.Threads}: must be 0 (all cores) or positive");
        if (s.Out is not null && Directory.Exists(s.Out)) throw new InvalidOptionException($"--out '{s.Out}' is a folder; give a .json file to write");
        var options = new CurvatureOptions(s.Samples, s.BatchSize, s.Iterations, s.Hutchinson, s.Seed);
        options.Validate();
        var device = TorchRuntime.ResolveDevice(s.Device);

        using var saved = SavedRun.Open(s.Run, s.Checkpoint);
        using var mask = saved.LoadMask();
        var config = saved.Config;
        TorchRuntime.SetThreads(s.Threads ?? config.Threads);
        using var data = DatasetCatalog.Load(DataOptions.For(config with { DataDir = s.DataDir ?? config.DataDir }));
        if (s.Samples > data.Train.Count)
            throw new InvalidOptionException($"--samples {s.Samples}: the run's training set has only {data.Train.Count} examples; use at most {data.Train.Count}");

        saved.Model.to(device);
        var curvature = CurvatureProbe.Measure(saved.Model, data.Train, data.Info, mask, options, device);

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"top_eigenvalue {curvature.TopEigenvalue:G6}"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"hessian_trace  {curvature.HessianTrace:G6}"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"jacobian_norm  {curvature.JacobianNorm:G6}"));
        Console.WriteLine($"measured on {curvature.Samples} training examples of {Path.GetFullPath(saved.Folder.Path)}:{s.Checkpoint}" +
                          (mask is null ? "" : string.Create(CultureInfo.InvariantCulture, $", restricted to the mask (sparsity {mask.Sparsity:F4})")));
        if (s.Out is not null)
        {
            AtomicFile.WriteAllText(s.Out, Json.Serialize(new CurvatureRecord(
                curvature.TopEigenvalue, curvature.HessianTrace, curvature.JacobianNorm, curvature.Samples, Path.GetFullPath(saved.Folder.Path), s.Checkpoint)));
            Console.WriteLine($"curvature: {Path.GetFullPath(s.Out)}");
        }
        return 0;
    }

    private sealed record CurvatureRecord(double TopEigenvalue, double HessianTrace, double JacobianNorm, int Samples, string Run, string Checkpoint);
}
