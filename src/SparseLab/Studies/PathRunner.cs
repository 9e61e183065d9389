// The study's linear paths: loads two checkpoints of runs that share a model
// and a mask, and evaluates the path on the first examples of the training and
// test sets (with the labels the runs trained on). Runs with different masks
// (a schedule's solution against Sol-F) interpolate every weight, unmasked.
// A language model's path is evaluated on fixed windows of its corpus.
using SparseLab.Data;
using SparseLab.Foundations;
using SparseLab.Information;
using SparseLab.Training;
using TorchSharp;

namespace SparseLab.Studies;

public static class PathRunner
{
    public static IReadOnlyList<PathPoint> Evaluate(RunFolder from, string fromCheckpoint, RunFolder to, string toCheckpoint, GapStudyConfig config,
        bool sameMask = true)
    {
        using var a = StateSource.FromCheckpoint(from.Path, fromCheckpoint);
        using var b = StateSource.FromCheckpoint(to.Path, toCheckpoint);
        PathCompatibility.CheckSameModel(a, b);
        using var saved = SavedRun.Open(to.Path, toCheckpoint);
        using var maskA = File.Exists(from.MaskFile) ? Sparsity.Mask.Load(from.MaskFile) : null;
        using var mask = sameMask ? saved.LoadMask() : null;
        if (sameMask) PathCompatibility.CheckSameMask(maskA, mask, from.Path, to.Path);

        var c = saved.Config;
        var device = TorchRuntime.ResolveDevice(c.Runtime.Device);
        var pathOptions = new PathOptions(Points: config.PathPoints, BatchNorm: config.PathBn, Seed: c.Seed);
        saved.Model.to(device);
        var task = Training.Tasks.TaskRegistry.For(c);
        if (!task.ClassifiesImages)   // the task's own evaluations: validation windows of a text, a denoiser's loss on fixed noise
        {
            using var heldOut = task.LoadEvaluation(c, config.PathTestExamples);
            return LinearPath.Evaluate(saved.Model, a, b, mask, heldOut, pathOptions, device);
        }
        using var loaded = DatasetCatalog.Load(DataOptions.For(c.Data));
        using var noise = c.Data.LabelNoise > 0 ? LabelNoise.Apply(loaded.Train, c.Data.LabelNoise, c.LabelNoiseSeed) : null;
        var train = noise?.All ?? loaded.Train;
        using var trainPart = train.Slice(0, Math.Min(config.PathTrainExamples, train.Count));
        using var testPart = loaded.Test.Slice(0, Math.Min(config.PathTestExamples, loaded.Test.Count));
        var data = loaded with { Train = trainPart, Test = testPart };
        return LinearPath.Evaluate(saved.Model, a, b, mask, data, pathOptions, device);
    }
}
