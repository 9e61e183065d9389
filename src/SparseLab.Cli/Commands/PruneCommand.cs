// `sparselab prune`: a mask from a saved network (any checkpoint of a run).
using System.ComponentModel;
using SparseLab.Data;
using SparseLab.Cli.Settings;
using SparseLab.Foundations;
using SparseLab.Sparsity;
using SparseLab.Training;
using Spectre.Console.Cli;
using static TorchSharp.torch;

namespace SparseLab.Cli.Commands;

public sealed class PruneCommand : Command<PruneCommand.Settings>
{
    public sealed class Settings : RunCheckpointSettings
    {
        [CommandOption("--sparsity <S>")] [Description("Fraction of prunable weights to remove, in [0, 1).")]
        public double? Sparsity { get; init; }
        [CommandOption("--criterion <NAME>")] [Description("magnitude (default), random, snip, grasp, synflow, fisher, nm:N:M.")]
        public string Criterion { get; init; } = "magnitude";
        [CommandOption("--budget <NAME>")] [Description("global (default), uniform, erk.")]
        public string Budget { get; init; } = "global";
        [CommandOption("--layer-sparsity <LIST>")] [Description("Per-layer overrides, e.g. conv1.weight=0.5.")]
        public string? LayerSparsity { get; init; }
        [CommandOption("--score-batches <N>")] [Description("Training batches for data-dependent criteria (default 1).")]
        public int ScoreBatches { get; init; } = 1;
        [CommandOption("--seed <N>")] [Description("Seed for random scores and the scoring batches (default: the run's).")]
        public long? Seed { get; init; }
        [CommandOption("--forbid-collapse")] [Description("Fail instead of warning when a layer would keep no weights.")]
        public bool ForbidCollapse { get; init; }
        [CommandOption("--data-dir <DIR>")] [Description("Dataset folder, if not the run's.")]
        public string? DataDir { get; init; }
        [CommandOption("--out <FILE>")] [Description("Mask file to write (.safetensors, keys masks.<layer>).")]
        public string? Out { get; init; }
    }

    public override int Execute(CommandContext context, Settings s, CancellationToken cancellationToken)
    {
        if (s.Run is null) throw new InvalidOptionException("--run is required: the run folder whose network to prune");
        if (s.Out is null) throw new InvalidOptionException("--out is required: the mask file to write");
        if (s.Sparsity is null) throw new InvalidOptionException("--sparsity is required, e.g. --sparsity 0.9");
        if (s.ScoreBatches < 1) throw new InvalidOptionException($"--score-batches {s.ScoreBatches}: must be at least 1");
        var options = new PruningOptions(s.Sparsity.Value, s.Criterion, s.Budget, s.LayerSparsity, s.ScoreBatches, s.Seed ?? 1, s.ForbidCollapse);
        var (criterion, _) = options.Resolve();

        using var saved = SavedRun.Open(s.Run, s.Checkpoint);
        var config = saved.Config with { DataDir = s.DataDir ?? saved.Config.DataDir };
        options = options with { Seed = s.Seed ?? config.Seed };
        TorchRuntime.SetThreads(config.Threads);
        DataSplits? data = criterion.NeedsData
            ? DatasetCatalog.Load(DataOptions.For(config))
            : null;
        try
        {
            IEnumerable<(Tensor, Tensor)> Scoring()
            {
                if (data is null) yield break;
                var loader = new BatchLoader(data.Train, data.Info, config.BatchSize, train: true, CPU);
                for (int i = 0; i < Math.Min(options.ScoreBatches, loader.BatchesPerEpoch); i++)
                    yield return loader.Batch(options.Seed, 0, i);
            }
            using var mask = Pruning.Run(options, saved.Model, saved.Prunable, Scoring, saved.Input, Console.Error.WriteLine, spec: saved.Spec);
            mask.Save(s.Out, new Dictionary<string, string>
            {
                ["model"] = config.Model, ["criterion"] = s.Criterion, ["budget"] = s.Budget,
                ["sparsity"] = mask.Sparsity.ToString("R", System.Globalization.CultureInfo.InvariantCulture),
                ["source"] = $"{saved.Folder.Path}:{s.Checkpoint}",
            });
            foreach (var l in mask.Layers)
                Console.WriteLine($"{l.Name,-28} {l.Nonzero,10:N0} / {l.Total,10:N0} kept  sparsity {l.Sparsity:F4}");
            Console.WriteLine($"mask: {Path.GetFullPath(s.Out)}  sparsity {mask.Sparsity:F4} ({mask.Nonzero:N0} of {mask.Total:N0} weights kept)");
        }
        finally
        {
            data?.Dispose();
        }
        return 0;
    }
}
