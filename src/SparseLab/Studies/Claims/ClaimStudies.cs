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

    /// <summary>The seed's recipe choices every ledger study shares: its init family and pruning (global magnitude, the last layer dense).</summary>
    private static TrainConfig SeedRecipe(ClaimSettings s, string model, long? limitTrain, int epochs) => new()
    {
        Data = s.Quick
            ? new DataConfig { Dataset = "synthetic", LimitTrain = 256, LimitTest = 128 }
            : new DataConfig { Dataset = "fashion-mnist", LimitTrain = limitTrain, DataDir = s.DataDir },
        Model = new ModelConfig { Name = s.Quick ? "mlp" : model, Init = Initialization.FanOut },
        Optimization = s.Quick
            ? new OptimizationConfig { Epochs = 2, BatchSize = 64, Lr = 0.05 }
            : new OptimizationConfig { Epochs = epochs, BatchSize = 128, Lr = 0.05, WeightDecay = 5e-4 },
        Sparsity = new SparsityConfig { KeepLastDense = true },
        Probes = new ProbeConfig { FisherSamples = s.Quick ? 64 : 512 },
        Runtime = new RuntimeConfig { Threads = s.Threads },
    };

    private static GapStudyConfig GapStudy(ClaimSettings s) => new()
    {
        Train = SeedRecipe(s, "lenet5", 10_000, 30),
        Sparsities = s.Quick ? [0.5, 0.9] : [0.8, 0.9, 0.95, 0.98],
        Seeds = s.Quick ? 2 : 5,
        Methods = [Finetune.Id, Scratch.Id, Lottery.Id],
        Fisher = false,
        PathPoints = s.Quick ? 5 : 11,
        PathTrainExamples = s.Quick ? 128 : 2_000,
        PathTestExamples = s.Quick ? 64 : 2_000,
        CurvatureSamples = s.Quick ? 64 : 512,
    };

    private static GapStudyConfig MemorizationStudy(ClaimSettings s)
    {
        // The measured setting (2026-12-07): the seed's noise level and sparsity, a schedule that lets dense memorize.
        var t = SeedRecipe(s, "mlp", 3_000, 60);
        var o = s.Quick ? t.Optimization
            : t.Optimization with { WeightDecay = 2e-4, LrSchedule = "step", Milestones = [Duration.Fraction(0.5), Duration.Fraction(0.75)] };
        return new()
        {
            Train = t with { Data = t.Data with { LabelNoise = 0.3 }, Optimization = o },
            Sparsities = [0.95],
            Seeds = s.Quick ? 2 : 5,
            Methods = [Finetune.Id, Scratch.Id, Lottery.Id],
            Fisher = false,
            Curvature = false,
            PathPoints = 0,
        };
    }

    private static GapStudyConfig FixStudy(ClaimSettings s) => new()
    {
        Train = SeedRecipe(s, "lenet5", 10_000, 30),
        Sparsities = s.Quick ? [0.9] : [0.95],
        Seeds = s.Quick ? 2 : 5,
        Methods = [Finetune.Id, Scratch.Id, RandomPacing.Id, FisherCurriculum.Id],
        Fisher = false,
        Curvature = false,
        PathPoints = 0,
    };
}
