// Named starting points for a study's dense recipe (--preset). A preset sets
// defaults; options given with it still win.
using SparseLab.Data;
using SparseLab.Foundations;
using SparseLab.Models;
using SparseLab.Training;

namespace SparseLab.Studies;

public static class StudyPresets
{
    /// <summary>
    /// The seed's setup: ResNet-32 on CIFAR-100, 160 epochs, SGD momentum 0.9, lr 0.1 divided by 10 at 50 % and 75 % of
    /// training (fractions, so finetuning for --finetune-epochs still decays), batch 128, weight decay 1e-4.
    /// </summary>
    public static TrainConfig Paper { get; } = new()
    {
        Data = new DataConfig { Dataset = "cifar100" },
        Model = new ModelConfig { Name = "resnet32" },
        Optimization = new OptimizationConfig
        {
            Epochs = 160, BatchSize = 128, Lr = 0.1, Momentum = 0.9, WeightDecay = 1e-4,
            LrSchedule = "step", Milestones = [Duration.Fraction(0.5), Duration.Fraction(0.75)],
        },
    };

    private static readonly Dictionary<string, TrainConfig> Registry = new(StringComparer.Ordinal) { ["paper"] = Paper };

    public static NameSet Names { get; } = new([.. Registry.Keys]);

    public static TrainConfig Get(string name) =>
        Registry.TryGetValue(name, out var preset) ? preset : throw new InvalidOptionException($"preset '{name}' is not known; use one of: {Names.Describe()}");
}
