// How one mask of a study or of IMP is made: a pruning criterion applied to a
// checkpoint of a run (M = criterion(Sol-D), a pruning-at-init control's
// mask, IMP's next level). Made where it is first needed: by the study or
// IMP itself when they train locally, or by the first run that needs it when
// its run file is handed to a scheduler, so the run can start as soon as the
// run it prunes has finished; the bytes are the same either way.
using SparseLab.Data;
using SparseLab.Sparsity;
using static TorchSharp.torch;

namespace SparseLab.Training;

/// <param name="File">The mask file (absolute).</param>
/// <param name="Source">The run folder whose checkpoint is pruned.</param>
/// <param name="Checkpoint">init or final.</param>
/// <param name="KeepPruned">Prune only what the source's own mask kept (IMP: pruned weights stay pruned).</param>
/// <param name="Metadata">The file's metadata; default: the source checkpoint and the criterion.</param>
public sealed record MaskRecipe(string File, string Source, string Checkpoint, PruningOptions Pruning, bool KeepPruned = false,
    IReadOnlyDictionary<string, string>? Metadata = null)
{
    /// <summary>Makes the mask unless it is there. Written beside its place and moved in, so a task that races another never reads half a file.</summary>
    public string Make(Action<string> warn)
    {
        if (System.IO.File.Exists(File)) return File;
        using var saved = SavedRun.Open(Source, Checkpoint);
        using var current = KeepPruned ? saved.LoadMask() : null;
        var c = saved.Config;
        using var data = Tasks.TrainingData.Load(c, labelNoise: false);
        IEnumerable<(Tensor, Tensor)> Scoring() => data.ScoringBatches(c.Optimization.BatchSize, Pruning.ScoreBatches, Pruning.Seed, CPU);
        using var mask = Sparsity.Pruning.Run(Pruning, saved.Model, saved.Prunable, Scoring, saved.Input, warn, current, saved.Spec);
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(File))!);
        string partial = $"{File}.partial-{Environment.ProcessId}";
        mask.Save(partial, Metadata ?? new Dictionary<string, string> { ["source"] = $"{Path.GetFileName(Source)}:{Checkpoint}", ["criterion"] = Pruning.Criterion });
        System.IO.File.Move(partial, File, overwrite: true);
        return File;
    }
}
