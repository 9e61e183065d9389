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
        IReadOnlyList<(string Name, Parameter Weight)> prunable, DataSplits data, InputShape input, Device device, Action<string> warn)
    {
        if (config.MaskFrom is not null && config.Sparsity > 0)
            throw new InvalidOptionException("--mask-from and --sparsity both choose the mask; give one of them");
        if (File.Exists(run.MaskFile))
            return Checked(Sparsity.Mask.Load(run.MaskFile), prunable, run.MaskFile);
        if (config.MaskFrom is not null)
        {
            string file = Directory.Exists(config.MaskFrom) ? new RunFolder(config.MaskFrom).MaskFile : config.MaskFrom;
            if (!File.Exists(file))
                throw new InvalidOptionException($"--mask-from '{config.MaskFrom}': {(Directory.Exists(config.MaskFrom) ? "that run has no mask.safetensors (it trained densely)" : "no such file or run folder")}");
            return Checked(Sparsity.Mask.Load(file), prunable, file);
        }
        if (config.Sparsity == 0) return null;

        var loader = new BatchLoader(data.Train, data.Info, config.BatchSize, train: true, device);
        int batches = Math.Min(config.ScoreBatches, loader.BatchesPerEpoch);
        IEnumerable<(Tensor, Tensor)> Scoring() => Enumerable.Range(0, batches).Select(i => loader.Batch(config.Seed, 0, i));
        var spec = new Models.ModelSpec(config.Model, input.Channels, input.Height, input.Width, input.NumClasses, config.Width);
        return Pruning.Run(PruningOptions.From(config), model, prunable, Scoring, input, warn, spec: spec);
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
