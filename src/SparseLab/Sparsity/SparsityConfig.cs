// How a run's mask is chosen (METHODS §2–3): the target sparsity, the
// criterion that scores weights, the budget that spreads the sparsity over
// layers, or a mask given ready-made.
using SparseLab.Foundations;
using SparseLab.Sparsity.Criteria;

namespace SparseLab.Sparsity;

public sealed record SparsityConfig : IConfigRecord
{
    [Option("Train sparse: the fraction of prunable weights removed, in [0, 1); 0 trains densely.", Flag = "--sparsity", Value = "S", HashName = "Sparsity")]
    public double Target { get; init; }

    [Option("Pruning criterion that scores the weights.", OneOf = typeof(CriterionRegistry))]
    public string Criterion { get; init; } = "magnitude";

    [Option("How the sparsity is spread over layers.", OneOf = typeof(BudgetRegistry))]
    public string Budget { get; init; } = "global";

    [Option("Per-layer sparsity overrides, e.g. conv1.weight=0.5,fc3.weight=0; the other layers make up the total.", Value = "LIST")]
    public string? LayerSparsity { get; init; }

    [Option("When the mask is chosen: init (before training; prune a trained network with `sparselab prune`).", OneOf = typeof(SparsityConfig), Value = "WHEN")]
    public string PruneAt { get; init; } = "init";

    // Where a command sets the mask itself (a study, imp) these conditions are its own business and do not apply.
    private const string Pruned = "Target>0 or MaskFrom";

    [Option("Labelled training batches that data-dependent criteria (snip, grasp, fisher) score on.")]
    public int ScoreBatches { get; init; } = 1;

    [Option("Never prune the first layer.", Requires = [Pruned])]
    public bool KeepFirstDense { get; init; }

    [Option("Never prune the last layer (the classifier).", Requires = [Pruned])]
    public bool KeepLastDense { get; init; }

    [Option("Language models: prune the token and position embeddings too (the token embedding is also the tied output head); by default only the attention and MLP matrices are pruned.")]
    public bool PruneEmbeddings { get; init; }

    [Option("Fail instead of warning when a layer would keep no weights.")]
    public bool ForbidCollapse { get; init; }

    [Option("Train with this mask instead of pruning: a run folder (its mask.safetensors) or a .safetensors file from `prune` or `export`.",
        Value = "RUN_OR_FILE", Reference = ReferenceKind.Path)]
    public string? MaskFrom { get; init; }

    [Option("Rescale each unit's surviving initial weights by √(fan-in / surviving fan-in) (Evci et al. 2022).")]
    public bool RescaleInit { get; init; }

    /// <summary>The points at which a mask can be chosen (only before training so far).</summary>
    public static NameSet Names { get; } = new("init");

    /// <summary>Whether the run prunes its own mask (rather than training densely or with a given one).</summary>
    public bool Prunes => Target > 0 && MaskFrom is null;

    public void Validate()
    {
        Check.Fraction(Target, nameof(Target));
        Check.Positive(ScoreBatches, nameof(ScoreBatches));
        Check.That(MaskFrom is null || Target == 0,
            $"{ConfigError.Field(nameof(MaskFrom))} and {ConfigError.Field(nameof(Target))} both choose the mask; give one of them");
        if (LayerSparsity is not null) BudgetRegistry.ParseOverrides(LayerSparsity);
        if (CriterionRegistry.NmOf(Criterion) is var (n, m) && Target > 0)
            Check.That(Math.Abs(Target - (1 - (double)n / m)) < 1e-9,
                $"{ConfigError.Field(nameof(Criterion))} {Criterion} keeps {n} of every {m} weights, a sparsity of {Check.Fmt(1 - (double)n / m)}; " +
                $"pass {ConfigError.Field(nameof(Target))} {Check.Fmt(1 - (double)n / m)}, not {Check.Fmt(Target)}");
    }
}
