// The studies the ledger runs, by name, each at two sizes: the default
// (settings chosen by measurement, docs/claims.md says how) and --quick (tiny
// synthetic data, seconds, for tests). Every claim names the study it reads;
// claims that read the same study share its runs.
using SparseLab.Data;
using SparseLab.Foundations;
using SparseLab.Information;
using SparseLab.Models;
using SparseLab.Sparsity;
using SparseLab.Studies.Methods;
using SparseLab.Training;

namespace SparseLab.Studies.Claims;

/// <param name="Quick">Tiny synthetic studies (tests and a first look), not the measured settings.</param>
/// <param name="Threads">CPU threads of every run (0: all cores).</param>
/// <param name="DataDir">Where Fashion-MNIST is (null: the usual places).</param>
public sealed record ClaimSettings(bool Quick, int Threads, string? DataDir);

public sealed record ClaimStudy(string Name, string Purpose, Func<ClaimSettings, GapStudyConfig> Make);

public static class ClaimStudies
{
    public const string Gap = "gap", Memorization = "memorization", Fix = "fix";

    public static IReadOnlyList<ClaimStudy> All { get; } =
    [
        new(Gap, "the same-mask gap, its regimes, linear paths and the solutions' Fisher and curvature: finetune, scratch and lottery", GapStudy),
        new(Memorization, "30 % symmetric label noise: dense, finetune, scratch and lottery at 95 %", MemorizationStudy),
        new(Fix, "the seed's fix in each reading, against its control, where the gap is", FixStudy),
    ];

    public static ClaimStudy Get(string name) => All.Single(s => s.Name == name);

    /// <summary>
    /// The recipe every ledger study shares, the seed's where it says: its init family (Kaiming fan-out), global magnitude
    /// with the last layer dense, weight decay 2e-4, a step schedule ÷10 at half and three quarters of training. The model
    /// and data are what 2 cores allow: LeNet-300-100 on the first 3,000 Fashion-MNIST images for 60 epochs, where the dense
    /// network fits its training set (100 %), as the seed's did — the setting of its generalization regime.
    /// </summary>
    private static TrainConfig SeedRecipe(ClaimSettings s) => new()
    {
        Data = s.Quick
            ? new DataConfig { Dataset = "synthetic", LimitTrain = 256, LimitTest = 128 }
            : new DataConfig { Dataset = "fashion-mnist", LimitTrain = 3_000, DataDir = s.DataDir },
        Model = new ModelConfig { Name = "mlp", Init = Initialization.FanOut },
        Optimization = new OptimizationConfig
        {
            Epochs = s.Quick ? 2 : 60, BatchSize = s.Quick ? 64 : 128, Lr = 0.05, WeightDecay = 2e-4,
            LrSchedule = "step", Milestones = [Duration.Fraction(0.5), Duration.Fraction(0.75)],
        },
        Sparsity = new SparsityConfig { KeepLastDense = true },
        Runtime = new RuntimeConfig { Threads = s.Threads },
    };

    private static GapStudyConfig GapStudy(ClaimSettings s) => new()
    {
        Train = SeedRecipe(s),
        Sparsities = s.Quick ? [0.5, 0.9] : [0.8, 0.9, 0.95, 0.98, 0.99],
        Seeds = s.Quick ? 2 : 5,
        Methods = [Finetune.Id, Scratch.Id, Lottery.Id],
        Fisher = false,
        PathPoints = s.Quick ? 5 : 11,
        PathTrainExamples = s.Quick ? 128 : 2_000,
        PathTestExamples = s.Quick ? 64 : 2_000,
        CurvatureSamples = s.Quick ? 64 : 512,
    };

    /// <summary>The gap study's recipe with the paper's noise level (30 % symmetric) at its sparsity (95 %).</summary>
    private static GapStudyConfig MemorizationStudy(ClaimSettings s)
    {
        var t = SeedRecipe(s);
        return new()
        {
            Train = t with { Data = t.Data with { LabelNoise = 0.3 } },
            Sparsities = [0.95],
            Seeds = s.Quick ? 2 : 5,
            Methods = [Finetune.Id, Scratch.Id, Lottery.Id],
            Fisher = false,
            Curvature = false,
            PathPoints = 0,
        };
    }

    /// <summary>The gap study's recipe at its sparsity with the largest finetune − scratch gap, every reading of the fix beside its control.</summary>
    private static GapStudyConfig FixStudy(ClaimSettings s) => new()
    {
        Train = SeedRecipe(s),
        Sparsities = s.Quick ? [0.9] : [0.99],
        Seeds = s.Quick ? 2 : 5,
        Methods = [Finetune.Id, Scratch.Id, FisherEarly.Id, FisherEarlyHard.Id, LossEarly.Id, RandomEarly.Id, FisherPenaltyArm.Id, FisherCurriculum.Id, RandomPacing.Id],
        Fisher = false,
        Curvature = false,
        PathPoints = 0,
    };
}
