// The hyperparameters of one training run, one record per concept. The
// fields and their defaults are the schema: the CLI options, YAML keys and
// config.json come from them, and their canonical string (ConfigHash) names
// the run folder.
using SparseLab.Curriculum;
using SparseLab.Data;
using SparseLab.EarlyPhase;
using SparseLab.Foundations;
using SparseLab.Information;
using SparseLab.Models;
using SparseLab.Schedules;
using SparseLab.Sparsity;

namespace SparseLab.Training;

public sealed record TrainConfig : IConfigRecord
{
    public DataConfig Data { get; init; } = new();
    public ModelConfig Model { get; init; } = new();
    public OptimizationConfig Optimization { get; init; } = new();
    public SparsityConfig Sparsity { get; init; } = new();
    public MaskScheduleConfig MaskSchedule { get; init; } = new();
    public CurriculumConfig Curriculum { get; init; } = new();
    public EarlyPhaseConfig Early { get; init; } = new();
    public Diffusion.DiffusionConfig Diffusion { get; init; } = new();
    public ProbeConfig Probes { get; init; } = new();   // only the label draws are hashed: they change curriculum scores
    [NotHashed] public RuntimeConfig Runtime { get; init; } = new();

    [Option("Seed of the initialization, the data order, augmentation and label noise.")]
    public long Seed { get; init; } = 1;

    [Option("What the network learns (default: language-model on a text dataset, else classification).", OneOf = typeof(Tasks.TaskRegistry))]
    public string? Task { get; init; }

    /// <summary>The seed of the label corruption: the data's own, else the run's.</summary>
    public long LabelNoiseSeed => Data.NoiseSeed ?? Seed;

    /// <summary>Whether the mask changes during training.</summary>
    public bool DynamicMask => MaskSchedule.Dynamic;

    /// <summary>Checks every field that can be checked without data; throws ConfigError naming the fields.</summary>
    public void Validate()
    {
        Check.Section(Data, nameof(Data));
        Check.Section(Model, nameof(Model));
        Check.Section(Optimization, nameof(Optimization));
        Check.Section(Sparsity, nameof(Sparsity));
        Check.Section(MaskSchedule, nameof(MaskSchedule));
        Check.Section(Curriculum, nameof(Curriculum));
        Check.Section(Early, nameof(Early));
        Check.Section(Diffusion, nameof(Diffusion));
        Check.Section(Probes, nameof(Probes));
        Check.Section(Runtime, nameof(Runtime));
        ConfigSchema.Of<TrainConfig>().CheckNames(this);
        Tasks.TaskRegistry.For(this).Refuse(this);
        ValidateSparsity();
        Check.That(!Sparsity.PruneEmbeddings || Model.Name == Models.ModelRegistry.LanguageModel,
            $"{F("Sparsity.PruneEmbeddings")} applies to --model gpt; {Model.Name} has no embeddings");
        ValidateSchedule();
        ValidateEarly();
        if (Curriculum.Score is not null && ScoreSpec.Parse(Curriculum.Score, Curriculum.Reference).Reference is { Kind: "self" } self)
            Check.That(self.Epochs < Optimization.Epochs || Optimization.Steps is not null,
                $"{F("Curriculum.Reference")} {self}: re-scoring every {self.Epochs} epochs never happens in a {Optimization.Epochs}-epoch run");
    }

    /// <summary>Options that only matter when the run prunes are refused otherwise: they would be silently ignored.</summary>
    private void ValidateSparsity()
    {
        var s = Sparsity;
        if (s.Prunes || DynamicMask) return;
        var d = new SparsityConfig();
        string why = s.MaskFrom is null ? $"without {F("Sparsity.Target")} the run trains densely" : $"{F("Sparsity.MaskFrom")} gives the mask";
        foreach (var (set, field) in new[]
        {
            (s.Criterion != d.Criterion, "Sparsity.Criterion"), (s.Budget != d.Budget, "Sparsity.Budget"),
            (s.LayerSparsity is not null, "Sparsity.LayerSparsity"), (s.ScoreBatches != d.ScoreBatches, "Sparsity.ScoreBatches"),
            (s.ForbidCollapse, "Sparsity.ForbidCollapse"), (s.PruneEmbeddings, "Sparsity.PruneEmbeddings"),
        })
            Check.That(!set, $"{F(field)} would be ignored: {why}");
        Check.That(!s.RescaleInit || s.MaskFrom is not null, $"{F("Sparsity.RescaleInit")} needs a mask: give {F("Sparsity.Target")} or {F("Sparsity.MaskFrom")}");
    }

    private void ValidateSchedule()
    {
        var m = MaskSchedule;
        if (!m.Dynamic) return;
        string schedule = $"{F("MaskSchedule.Kind")} {m.Kind}";
        Check.That(Sparsity.Target > 0, $"{schedule} needs a target {F("Sparsity.Target")} above 0 (e.g. 0.9)");
        Check.That(Sparsity.MaskFrom is null, $"{schedule} chooses its own masks; drop {F("Sparsity.MaskFrom")}");
        Check.That(Sparsity.LayerSparsity is null, $"{F("Sparsity.LayerSparsity")} does not combine with {schedule}: the schedule moves every layer's sparsity itself");
        if (MaskSchedules.Prunes(m.Kind))
            Check.That(m.InitialSparsity >= 0 && m.InitialSparsity < Sparsity.Target,
                $"{F("MaskSchedule.InitialSparsity")} {Check.Fmt(m.InitialSparsity)}: GMP's starting sparsity must be in [0, {F("Sparsity.Target")} {Check.Fmt(Sparsity.Target)})");
    }

    /// <summary>The early phase's needs that other sections decide: per-example norms, dense kernels, one batch plan, the run's length.</summary>
    private void ValidateEarly()
    {
        var e = Early;
        if (!e.Used) return;
        if (e.Select is not null)
            Check.That(Curriculum.Score is null, $"{F("Early.Select")} and {F("Curriculum.Score")} both choose the batches; use one");
        if (e.Penalty is not null)
        {
            Check.That(Runtime.Kernels != "sparse", $"{F("Runtime.Kernels")} sparse cannot train with {F("Early.Penalty")}: the penalty needs double backward, which the sparse kernels do not provide; use {F("Runtime.Kernels")} dense or auto");
        }
        if (e.Steps.Unit == Foundations.DurationUnit.Epochs && Optimization.Steps is null)
            Check.That(e.Steps.Value <= Optimization.Epochs, $"{F("Early.Steps")} {e.Steps} is longer than training ({F("Optimization.Epochs")} {Optimization.Epochs})");
    }

    private static string F(string field) => ConfigError.Field(field);
}
