// `sparselab prune`: a mask from a saved network (any checkpoint of a run).
using SparseLab.Cli.Options;
using SparseLab.Data;
using SparseLab.Foundations;
using SparseLab.Sparsity;
using SparseLab.Training;
using static TorchSharp.torch;

namespace SparseLab.Cli.Commands;

public sealed class PruneCommand : CliCommand<PruneCommand.Options>
{
    public sealed record Options
    {
        public RunCheckpoint Source { get; init; } = new();
        /// <summary>The criterion, budget and sparsity of the mask (the run's own keep-dense layers apply).</summary>
        public SparsityConfig Sparsity { get; init; } = new();

        [Option("Seed of random scores and of the scoring batches (default: the run's).")]
        public long? Seed { get; init; }

        [Option("Dataset folder, if not the run's.", Value = "DIR")]
        public string? DataDir { get; init; }

        [Option("The mask file to write (.safetensors, keys masks.<layer>).", Value = "FILE", IsPath = true)]
        public string? Out { get; init; }
    }

    public override string Path => "prune";
    public override string Description => "Make a mask from a saved network: --run DIR --sparsity S --criterion NAME --budget B --out MASK.safetensors.";
    public override IReadOnlyList<string> Examples => ["prune --run runs/lenet5 --sparsity 0.9 --criterion magnitude --out runs/lenet5-mask.safetensors"];
    protected override Options Defaults => new();

    protected override IReadOnlyList<Excluded> Excluded =>
    [
        new("Sparsity.MaskFrom", "prune makes a mask; train with it with train --mask-from"),
        new("Sparsity.RescaleInit", "prune writes a mask, not weights"),
        new("Sparsity.PruneAt", "prune prunes the checkpoint given with --checkpoint"),
        new("Sparsity.KeepFirstDense", "the run's own choice of dense layers applies"),
        new("Sparsity.KeepLastDense", "the run's own choice of dense layers applies"),
        new("Sparsity.PruneEmbeddings", "the run's own choice of pruned layers applies (its --prune-embeddings)"),
    ];

    protected override int Execute(Bound<Options> bound)
    {
        var s = bound.Value;
        Check.Section(s.Source, nameof(Options.Source));
        s.Source.RefuseOverwrite(s.Out, nameof(Options.Out));
        Check.That(s.Out is not null, nameof(Options.Out), "is required: the mask file to write");
        Check.That(!Directory.Exists(s.Out), nameof(Options.Out), $"'{s.Out}' is a folder; give a .safetensors file to write");
        Check.That(bound.Sources.ContainsKey("Sparsity.Target"), "Sparsity.Target", "is required, e.g. --sparsity 0.9");
        Check.Section(s.Sparsity, nameof(Options.Sparsity));
        var options = PruningOptions.From(s.Sparsity, s.Seed ?? 1);
        var (criterion, _) = options.Resolve();

        using var saved = SavedRun.Open(s.Source.Run!, s.Source.Checkpoint);
        var config = saved.Config;
        var data = config.Data with { DataDir = s.DataDir ?? config.Data.DataDir };
        options = options with { Seed = s.Seed ?? config.Seed };
        TorchRuntime.SetThreads(config.Runtime.Threads, Console.Error.WriteLine);
        using var splits = criterion.NeedsData ? DatasetCatalog.Load(DataOptions.For(data)) : null;
        IEnumerable<(Tensor, Tensor)> Scoring()
        {
            if (splits is null) yield break;
            var loader = new BatchLoader(splits.Train, splits.Info, config.Optimization.BatchSize, train: true, CPU);
            for (int i = 0; i < Math.Min(options.ScoreBatches, loader.BatchesPerEpoch); i++)
                yield return loader.Batch(options.Seed, 0, i);
        }
        using var mask = Pruning.Run(options, saved.Model, saved.Prunable, Scoring, saved.Input, Console.Error.WriteLine, spec: saved.Spec);
        mask.Save(s.Out!, new Dictionary<string, string>
        {
            ["model"] = config.Model.Name, ["criterion"] = options.Criterion, ["budget"] = options.Budget,
            ["sparsity"] = mask.Sparsity.ToString("R", System.Globalization.CultureInfo.InvariantCulture),
            ["source"] = $"{saved.Folder.Path}:{s.Source.Checkpoint}",
        });
        foreach (var l in mask.Layers)
            Console.WriteLine($"{l.Name,-28} {l.Nonzero,10:N0} / {l.Total,10:N0} kept  sparsity {l.Sparsity:F4}");
        Console.WriteLine($"mask: {System.IO.Path.GetFullPath(s.Out!)}  sparsity {mask.Sparsity:F4} ({mask.Nonzero:N0} of {mask.Total:N0} weights kept)");
        return 0;
    }
}
