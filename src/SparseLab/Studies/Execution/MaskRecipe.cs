// How one of a study's masks is made: a pruning criterion applied to a
// checkpoint of a run (M = criterion(Sol-D), a pruning-at-init control's
// mask). The study makes its masks itself when it trains locally; a run
// handed to a scheduler carries the recipes of the masks it needs and makes
// them on the node, so the run can start as soon as the dense run it prunes
// has finished, with the same bytes either way.
using SparseLab.Data;
using SparseLab.Sparsity;
using SparseLab.Training;
using static TorchSharp.torch;

namespace SparseLab.Studies.Execution;

/// <param name="File">The mask file (the study's masks/NAME.safetensors).</param>
/// <param name="Source">The run folder whose checkpoint is pruned.</param>
/// <param name="Checkpoint">init or final.</param>
public sealed record MaskRecipe(string File, string Source, string Checkpoint, PruningOptions Pruning)
{
    /// <summary>Makes the mask unless it is there. Written beside its place and moved in, so a task that races another never reads half a file.</summary>
    public string Make(Action<string> warn)
    {
        if (System.IO.File.Exists(File)) return File;
        using var saved = SavedRun.Open(Source, Checkpoint);
        var c = saved.Config;
        using var data = DatasetCatalog.Load(DataOptions.For(c.Data));
        var loader = new BatchLoader(data.Train, data.Info, c.Optimization.BatchSize, train: true, CPU);
        IEnumerable<(Tensor, Tensor)> Scoring() => Enumerable.Range(0, Math.Min(Pruning.ScoreBatches, loader.BatchesPerEpoch))
            .Select(i => loader.Batch(Pruning.Seed, 0, i));
        using var mask = Sparsity.Pruning.Run(Pruning, saved.Model, saved.Prunable, Scoring, saved.Input, warn, spec: saved.Spec);
        Directory.CreateDirectory(Path.GetDirectoryName(File)!);
        string partial = $"{File}.partial-{Environment.ProcessId}";
        mask.Save(partial, new Dictionary<string, string> { ["source"] = $"{Path.GetFileName(Source)}:{Checkpoint}", ["criterion"] = Pruning.Criterion });
        System.IO.File.Move(partial, File, overwrite: true);
        return File;
    }
}
