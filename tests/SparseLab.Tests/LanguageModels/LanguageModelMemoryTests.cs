// What bounds a GPT run's memory, tested without timing it: every step frees
// its tensors (a live-tensor count that does not grow with the run), leaves no
// garbage for a later collection (objects freed only by their finalizers, as
// TorchSharp's Scalars are, are finalized by the next step), and evaluation
// feeds the model a batch of windows at a time, never the whole split.
using System.Runtime.CompilerServices;
using SparseLab.Data;
using SparseLab.Foundations;
using SparseLab.Tests.Foundations;
using SparseLab.Training;
using SparseLab.Training.Tasks;
using TorchSharp;
using static TorchSharp.torch;

namespace SparseLab.Tests.LanguageModels;

public sealed class LanguageModelMemoryTests
{
    private sealed class Silent : ITrainingObserver;

    private static TrainConfig Tiny(string text, long steps) => new()
    {
        Data = new() { Dataset = "text", Text = text },
        Model = new() { Name = "gpt", NLayer = 1, NHead = 2, NEmbd = 32, BlockSize = 16 },
        Optimization = new() { Optimizer = "adamw", Steps = steps, BatchSize = 16, Lr = 0.003 },
        Runtime = new() { Threads = 1 },
    };

    [Fact]
    public void GivenAGptRun_WhenItTrainsLonger_ThenNoTensorsAreLeftBehind()
    {
        using var dir = new TempDir();
        string text = dir.Combine("corpus.txt");
        File.WriteAllText(text, TinyTextRun.English(6_000));
        TrainingRun.Execute(Tiny(text, 5), dir.Combine("warm"), false, new Silent());
        long before = DisposeScopeManager.Statistics.ThreadTotalLiveCount;

        TrainingRun.Execute(Tiny(text, 60), dir.Combine("run"), false, new Silent());   // two epochs and more, each evaluated

        // Parameters and optimizer state go with their objects; a few cached tensors are allowed, not one a step.
        Assert.InRange(DisposeScopeManager.Statistics.ThreadTotalLiveCount - before, -1000, 50);
    }

    /// <summary>Drops an object only a finalizer frees after every step, and counts those finalized by the next step.</summary>
    private sealed class FinalizerGarbage : ITrainingCallback
    {
        private readonly StrongBox<int> _finalized = new();
        public int Dropped { get; private set; }
        public List<string> Unfinalized { get; } = [];

        public void OnAfterStep(TrainingContext context)
        {
            Check($"step {context.Step}");
            Sentinel.Drop(_finalized);
            Dropped++;
            Thread.Sleep(FinalizerSweep.Interval + TimeSpan.FromMilliseconds(20));   // a step as long as the default GPT's: swept after it
        }

        public void OnEpochEnd(TrainingContext context, EpochMetrics metrics) => Check($"the end of epoch {metrics.Epoch}");

        private void Check(string when)
        {
            GC.WaitForPendingFinalizers();   // runs what a collection queued; collects nothing itself
            if (Volatile.Read(ref _finalized.Value) < Dropped) Unfinalized.Add($"{when}: {Dropped - _finalized.Value} of {Dropped}");
        }
    }

    [Fact]
    public void GivenAGptRun_ThenNoStepLeavesGarbageForFinalizersToTheNext()
    {
        using var dir = new TempDir();
        string text = dir.Combine("corpus.txt");
        File.WriteAllText(text, TinyTextRun.English(6_000));
        var garbage = new FinalizerGarbage();

        TrainingRun.Execute(Tiny(text, 4), dir.Combine("run"), false, new Silent(), [garbage]);

        Assert.Equal(4, garbage.Dropped);
        Assert.Empty(garbage.Unfinalized);
    }

    /// <summary>Uniform logits (B, T, 256) for every window, recording the largest batch it was given.</summary>
    private sealed class WidestBatch() : nn.Module<Tensor, Tensor>(nameof(WidestBatch))
    {
        public long Widest { get; private set; }
        public long Windows { get; private set; }

        public override Tensor forward(Tensor tokens)
        {
            Widest = Math.Max(Widest, tokens.shape[0]);
            Windows += tokens.shape[0];
            return zeros(tokens.shape[0], tokens.shape[1], TextCorpus.Vocabulary);
        }
    }

    [Fact]
    public void GivenTheValidationSplit_WhenEvaluated_ThenTheModelSeesOneBatchOfWindowsAtATime()
    {
        var corpus = TextCorpus.FromBytes("english", System.Text.Encoding.UTF8.GetBytes(TinyTextRun.English(40_000)), 16);
        using var data = new TextData(corpus, 16);
        using var model = new WidestBatch();

        var evaluation = data.EvaluateTest(model, batchSize: 8, CPU);

        Assert.Equal(8, model.Widest);
        Assert.Equal(data.TestCount, model.Windows);                  // every validation window, once
        Assert.Equal(data.TestCount * 16, evaluation.Count);
        Assert.Equal(Math.Log(TextCorpus.Vocabulary), evaluation.Loss, 5);   // uniform logits: ln 256 nats per byte
    }
}
