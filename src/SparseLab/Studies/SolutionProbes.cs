// The gap study's probe of its solutions (Ye et al. 2022, Table 2): Sol-D (the
// dense run, once per seed, at sparsity 0) and the final checkpoint of every
// Baseline method's run, measured once and cached in curvature/. The file's
// name holds the sample counts (--curvature-samples, --fisher-draws), which the
// study's identity leaves out: a change of either measures again instead of
// reusing numbers taken on other examples. Files of the older name (curvature
// only) are left where they are and not read.
using SparseLab.Data;
using SparseLab.Foundations;
using SparseLab.Information;
using SparseLab.Studies.Methods;
using SparseLab.Training;
using TorchSharp;

namespace SparseLab.Studies;

internal sealed class SolutionProbes(GapStudyConfig config, StudyFolder folder, ITrainingObserver observer)
{
    private int Draws => config.Train.Probes.FisherDraws;

    /// <summary>The cache file of one solution: method, sparsity, seed and the sample counts.</summary>
    public string File(string method, SparseCell cell) =>
        Path.Combine(folder.Path, "curvature", $"{method}-{cell.Tag}-n{config.CurvatureSamples}-m{Draws}.json");

    public CurvatureRow Measure(string method, RunFolder run, SparseCell cell)
    {
        string file = File(method, cell);
        if (System.IO.File.Exists(file))
        {
            var cached = Json.Deserialize<CurvatureRow>(System.IO.File.ReadAllText(file));
            if (cached.FisherTrace is not null && cached.PredictionEntropy is not null && cached.FisherDraws == Draws) return cached;
        }
        observer.Message($"[study] probe of the solution {method} at sparsity {GapStudyConfig.Fmt(cell.Sparsity)}, seed {cell.Seed}");
        using var saved = SavedRun.Open(run.Path, "final");
        using var mask = saved.LoadMask();
        using var data = DatasetCatalog.Load(DataOptions.For(saved.Config.Data));   // the clean labels: the true Fisher draws its own
        var device = TorchRuntime.ResolveDevice(saved.Config.Runtime.Device);
        saved.Model.to(device);
        var m = SolutionProbe.Measure(saved.Model, data.Train, data.Info, mask,
            new CurvatureOptions(Samples: (int)Math.Min(config.CurvatureSamples, data.Train.Count), Seed: cell.Seed), Draws, device);
        var row = new CurvatureRow(cell.Sparsity, method, cell.Seed, m.Curvature.TopEigenvalue, m.Curvature.HessianTrace, m.Curvature.JacobianNorm,
            m.FisherTrace, m.PredictionEntropy, m.Samples, m.FisherDraws);
        Directory.CreateDirectory(Path.GetDirectoryName(file)!);
        AtomicFile.WriteAllText(file, Json.Serialize(row));
        return row;
    }
}
