// The studies SparseLab runs, each as the gap study with its own defaults:
// the gap study itself, the curriculum study (the seed's proposed fix under
// fair controls) and the demo (the main job, sized to run in minutes).
using SparseLab.Data;
using SparseLab.Foundations;
using SparseLab.Information;
using SparseLab.Models;
using SparseLab.Studies.Methods;
using SparseLab.Training;

namespace SparseLab.Studies;

public static class StudyKinds
{
    /// <summary>study gap: finetune vs scratch at five sparsities, 3 seeds, with the linear paths.</summary>
    public static GapStudyConfig Gap { get; } = new();

    /// <summary>
    /// study curriculum: at each sparsity and seed, sparse finetuning and plain sparse scratch against scratch with a
    /// Fisher curriculum, an anti-curriculum, a random order under the same pacing and an EL2N curriculum, all with the
    /// same mask and init; no linear paths unless asked for.
    /// </summary>
    public static GapStudyConfig Curriculum { get; } = new()
    {
        Methods = [Finetune.Id, Scratch.Id, "curriculum", "anti-curriculum", "random-pacing", "el2n-curriculum"],
        Sparsities = [0.9, 0.98],
        PathPoints = 0,
    };

    /// <summary>
    /// The demo: LeNet-300-100 on 3,000 Fashion-MNIST images for 30 epochs, 2 seeds. Chosen by measurement: with 10,000
    /// images and 10 epochs the dense network does not fit its training set and finetuning (which trains twice as long
    /// in all) leads scratch by about a point of train accuracy at every sparsity, so every sparsity lands in the
    /// optimization regime; with 3,000 images both fit at 0.5 and 0.9 (generalization regime) and scratch falls behind
    /// at 0.98 and 0.995 (optimization regime).
    /// </summary>
    public static GapStudyConfig Demo(string? dataDir = null, int threads = 0) => new()
    {
        Train = new TrainConfig
        {
            Data = new DataConfig { Dataset = "fashion-mnist", LimitTrain = 3_000, DataDir = dataDir },
            Model = new ModelConfig { Name = "mlp" },
            Optimization = new OptimizationConfig { Epochs = 30, BatchSize = 128, Lr = 0.05, LrSchedule = "cosine" },
            Probes = new ProbeConfig { FisherSamples = 512 },
            Runtime = new RuntimeConfig { Threads = threads },
        },
        Sparsities = [0.5, 0.9, 0.98, 0.995],
        Seeds = 2,
        PathTrainExamples = 5_000,
        PathTestExamples = 5_000,
        CurvatureSamples = 512,
    };
}
