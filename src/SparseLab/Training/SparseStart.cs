// How a sparse run gets its mask: the one saved in its folder (resume), one
// given with --mask-from (a run folder or a .safetensors file), or a fresh
// pruning of the starting weights with --sparsity/--criterion/--budget.
using SparseLab.Data;
using SparseLab.Foundations;
using SparseLab.Sparsity;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace SparseLab.Training;

public static class SparseStart
{
    /// <summary>The mask to train with, or null for a dense run.</summary>
    public static Mask? Mask(TrainConfig config, RunFolder run, nn.Module<Tensor, Tensor> model,
        IReadOnlyList<(string Name, Parameter Weight)> prunable, Tasks.TrainingData data, InputShape input, Device device, Action<string> warn)
    {
        var s = config.Sparsity;
        if (File.Exists(run.MaskFile))
            return Checked(Sparsity.Mask.Load(run.MaskFile), prunable, run.MaskFile);
        if (s.MaskFrom is not null)
        {
            string file = Directory.Exists(s.MaskFrom) ? new RunFolder(s.MaskFrom).MaskFile : s.MaskFrom;
            Check.That(File.Exists(file), "Sparsity.MaskFrom",
                $"'{s.MaskFrom}': {(Directory.Exists(s.MaskFrom) ? "that run has no mask.safetensors (it trained densely)" : "no such file or run folder")}");
            return Checked(Sparsity.Mask.Load(file), prunable, file);
        }
        if (s.Target == 0) return null;

        IEnumerable<(Tensor, Tensor)> Scoring() => data.ScoringBatches(config.Optimization.BatchSize, s.ScoreBatches, config.Seed, device);
        try
        {
            return Pruning.Run(PruningOptions.From(s, config.Seed), model, prunable, Scoring, input, warn, spec: Models.ModelSpec.For(config.Model, input));
        }
        catch (ConfigError e)
        {
            throw e.Within(nameof(TrainConfig.Sparsity));
        }
    }

    private static Mask Checked(Mask mask, IReadOnlyList<(string Name, Parameter Weight)> prunable, string source)
    {
        try
        {
            mask.CheckMatches(prunable, $"'{source}'");
            return mask;
        }
        catch
        {
            mask.Dispose();
            throw;
        }
    }
}
