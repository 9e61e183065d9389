// Named starting points for a study (--preset). A preset sets the study's
// recipe beneath the options given: those still win.
using SparseLab.Data;
using SparseLab.Foundations;
using SparseLab.Models;
using SparseLab.Sparsity;
using SparseLab.Training;

namespace SparseLab.Studies;

public static class StudyPresets
{
    /// <summary>
    /// The seed's recipe, as its scripts/train.sh sets it (Ye et al. 2022, "The Price of Sparsity"): ResNet-32 with widen
    /// factor 4 on CIFAR-100; dense 200 epochs, SGD 0.9, lr 0.1 ÷ 10 at epochs 100 and 150, weight decay 2e-4, batch 128;
    /// finetune and scratch 250 epochs from lr 0.1, ÷ 10 at 100, 150 and 200; the seed code's Kaiming fan-out init
    /// (helper/utils.py); global magnitude with the last layer dense (prune_last=0); sparsities 0.8–0.98.
    /// One deliberate difference: the seed reports each run's best epoch by test accuracy; SparseLab holds out 5,000
    /// training images (--val) and reports the best-by-validation epoch's test accuracy beside the final one.
    /// </summary>
    public static GapStudyConfig Paper(GapStudyConfig study) => study with
    {
        Train = study.Train with
        {
            Data = study.Train.Data with { Dataset = "cifar100", Val = 5_000 },
            Model = study.Train.Model with { Name = "resnet32", Width = 4, Init = Initialization.FanOut },
            Optimization = study.Train.Optimization with
            {
                Epochs = 200, BatchSize = 128, Lr = 0.1, Momentum = 0.9, WeightDecay = 2e-4,
                LrSchedule = "step", Milestones = [Duration.Epochs(100), Duration.Epochs(150)],
            },
            Sparsity = study.Train.Sparsity with { KeepLastDense = true },
        },
        Sparsities = [0.8, 0.9, 0.95, 0.98],
        FinetuneEpochs = 250,
        ScratchEpochs = 250,
        SparseMilestones = [Duration.Epochs(100), Duration.Epochs(150), Duration.Epochs(200)],
    };

    private static readonly Dictionary<string, Func<GapStudyConfig, GapStudyConfig>> Registry = new(StringComparer.Ordinal) { ["paper"] = Paper };

    public static NameSet Names { get; } = new([.. Registry.Keys]);

    /// <summary>The preset's settings on top of <paramref name="study"/>.</summary>
    public static GapStudyConfig Apply(string name, GapStudyConfig study) =>
        Registry.TryGetValue(name, out var preset) ? preset(study) : throw new InvalidOptionException($"preset '{name}' is not known; use one of: {Names.Describe()}");
}
