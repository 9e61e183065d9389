// The training loop: seeded batches, forward, loss, backward, optimizer step,
// callbacks, evaluation and an atomic checkpoint at the end of every epoch.
// With sparse kernels (Kernels/SparseTraining) the chosen masked layers run
// on them inside the step; everything outside the step sees the dense model.
using SparseLab.Data;
using SparseLab.Foundations;
using SparseLab.Reporting;
using SparseLab.Training.Kernels;
using SparseLab.Training.Tasks;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace SparseLab.Training;

public sealed class Trainer(
    TrainConfig config, nn.Module<Tensor, Tensor> model, TrainingData data, Device device,
    ITrainingObserver observer, IReadOnlyList<ITrainingCallback> callbacks, IBatchPlan? plan = null,
    SparseTraining? kernels = null, ILossTerm? lossTerm = null)
{
    public TrainingSummary Run(RunFolder run, bool resume)
    {
        var o = config.Optimization;
        int stepsPerEpoch = data.StepsPerEpoch(o.BatchSize);
        long totalSteps = o.Steps ?? (long)o.Epochs * stepsPerEpoch;
        int totalEpochs = (int)((totalSteps + stepsPerEpoch - 1) / stepsPerEpoch);
        var schedule = LearningRateSchedule.From(o, totalSteps, stepsPerEpoch);
        using var optimizer = OptimizerFactory.Create(o, model.parameters());

        var (state, resumedMask) = resume && run.HasCheckpoint
            ? Checkpoint.LoadWithMask(run.LastCheckpoint, model, optimizer)
            : (new TrainingState(0, 0, 0), null);
        using var _ = resumedMask;

        using var metrics = new MetricsLog(run.MetricsFile, keepUpToStep: state.Step == 0 ? null : state.Step);
        var pause = PausePoint.FromEnvironment() is { } p && p.Applies(run.Path, state.Step) ? p : null;   // crash tests only
        var board = torch.utils.tensorboard.SummaryWriter(run.TensorBoardDir);
        TrainingContext context = null!;
        context = new TrainingContext
        {
            Config = config, Model = model, Optimizer = optimizer, Device = device,
            TotalSteps = totalSteps, StepsPerEpoch = stepsPerEpoch,
            Step = state.Step, Epoch = state.Epoch, ResumedMask = resumedMask,
            Log = (name, fields) => metrics.Write(name, new Dictionary<string, object?>(fields) { ["step"] = context.Step }),
        };
        foreach (var c in callbacks) c.OnTrainBegin(context);
        plan?.Begin(context);
        lossTerm?.Begin(context);
        kernels?.Begin(optimizer);
        if (state.Step == 0) Checkpoint.Save(run.InitCheckpoint, model, null, state, context.Mask);   // after masking: Init-S = Init-D ⊙ M

        var clock = System.Diagnostics.Stopwatch.StartNew();
        var sweep = new FinalizerSweep();   // the step's TorchSharp Scalars, which its dispose scope does not free
        observer.Begin($"{config.Model.Name} on {config.Data.Dataset}", totalSteps, state.Step);
        model.train();
        for (int epoch = state.Epoch; epoch < totalEpochs; epoch++)
        {
            context.Epoch = epoch;
            plan?.OnEpochBegin(context);
            var epochClock = System.Diagnostics.Stopwatch.StartNew();
            double lossSum = 0, lr = 0;
            long correct = 0, seen = 0;
            for (int i = 0; i < stepsPerEpoch && context.Step < totalSteps; i++)
            {
                using var scope = torch.NewDisposeScope();
                var (x, y) = data.Batch(o.BatchSize, config.Seed, epoch, i, context.Step, device, plan);   // (B, C, H, W), (B) or (B, T), (B, T)
                lr = schedule.At(context.Step);
                OptimizerFactory.SetLearningRate(optimizer, lr);
                kernels?.SetLearningRate(lr);
                optimizer.zero_grad();
                kernels?.ZeroGrad();
                kernels?.BeforeForward(context.Step);
                var logits = model.forward(x);                              // (B, classes) or (B, T, V)
                var loss = data.Loss(logits, y);
                float lossValue = loss.item<float>();
                if (!float.IsFinite(lossValue))
                    throw new SparseLabException(
                        $"training diverged: the loss is {lossValue} at step {context.Step + 1} (epoch {epoch + 1}, batch {i + 1}); " +
                        $"the last good checkpoint is {(run.HasCheckpoint ? run.LastCheckpoint : run.InitCheckpoint)}. Try a lower learning rate (now {config.Optimization.Lr}).");
                if (lossTerm?.Term(context, logits) is { } term) loss = loss + term;   // the Fisher penalty (EarlyPhase); the logged loss is the data's
                loss.backward();
                kernels?.AfterBackward();
                if (o.ClipGrad is { } clip)   // the kernels' compact values stand for their layers' weights, and are repacked when the mask moves: ask every step
                    nn.utils.clip_grad_norm_(model.parameters().Where(p => kernels?.Routes(p) != true).Concat(kernels?.Parameters ?? []).Where(p => p.grad is not null), clip);
                foreach (var c in callbacks) c.OnAfterBackward(context);
                optimizer.step();
                kernels?.Step();
                context.Step++;
                kernels?.AfterStep(context.Step, optimizer);
                foreach (var c in callbacks) c.OnAfterStep(context);
                kernels?.AfterCallbacks(optimizer);

                long batch = y.numel();                                     // examples, or tokens
                lossSum += lossValue * batch;
                correct += data.Hits(logits, y);
                seen += batch;
                observer.OnStep(context.Step, lossValue, Accuracy(correct, seen), lr);
                pause?.At(context.Step);
                sweep.Tick();
            }

            var (test, val) = data.EvaluateHeldOut(model, o.BatchSize, device);
            var m = new EpochMetrics(epoch + 1, totalEpochs, context.Step, lr, lossSum / seen, Accuracy(correct, seen), test, val, epochClock.Elapsed.TotalSeconds,
                data.Task);
            LogEpoch(metrics, board, m);
            foreach (var c in callbacks) c.OnEpochEnd(context, m);
            observer.OnEpoch(m);
            state = new TrainingState(epoch + 1, context.Step, state.WallSeconds + clock.Elapsed.TotalSeconds);
            clock.Restart();
            kernels?.WriteState(optimizer);
            Checkpoint.Save(run.LastCheckpoint, model, optimizer, state, context.Mask);
        }

        observer.Message("evaluating on the training set");
        var train = data.EvaluateTrain(model, o.BatchSize, device);
        var (finalTest, finalVal) = data.EvaluateHeldOut(model, o.BatchSize, device);
        AtomicFile.Copy(run.LastCheckpoint, run.FinalCheckpoint);
        observer.End();

        return new TrainingSummary
        {
            Model = config.Model.Name, Dataset = config.Data.Dataset, Seed = config.Seed,
            Epochs = totalEpochs, Steps = context.Step,
            TestAccuracy = finalTest.Accuracy, TestLoss = finalTest.Loss, TestTop5 = finalTest.Top5,
            TrainAccuracy = train.Accuracy, TrainLoss = train.Loss,
            ValAccuracy = finalVal?.Accuracy, ValLoss = finalVal?.Loss,
            Params = model.parameters().Sum(p => p.numel()),
            TrainExamples = data.TrainCount, TestExamples = data.TestCount,
            WallSeconds = state.WallSeconds + clock.Elapsed.TotalSeconds,
        };
    }

    /// <summary>The running accuracy, NaN for a task that has none (a denoiser).</summary>
    private double Accuracy(long correct, long seen) => data.Task.HasAccuracy ? (double)correct / seen : double.NaN;

    private static void LogEpoch(MetricsLog metrics, SummaryWriter board, EpochMetrics m)
    {
        var extra = m.Task.Extra(m);
        double? Extra(string key) => extra.TryGetValue(key, out var value) ? value : null;
        metrics.Write("epoch", new Dictionary<string, object?>
        {
            ["epoch"] = m.Epoch, ["step"] = m.Step, ["lr"] = m.Lr,
            ["train_loss"] = m.TrainLoss, ["train_accuracy"] = m.TrainAccuracy,
            ["test_loss"] = m.Test.Loss, ["test_accuracy"] = m.Test.Accuracy, ["test_top5"] = m.Test.Top5,
            ["val_loss"] = m.Validation?.Loss, ["val_accuracy"] = m.Validation?.Accuracy,
            ["val_bpc"] = Extra("val_bpc"), ["val_perplexity"] = Extra("val_perplexity"),
            ["seconds"] = m.Seconds,
        });
        int step = (int)Math.Min(m.Step, int.MaxValue);
        board.add_scalar("train/loss", (float)m.TrainLoss, step);
        board.add_scalar("train/accuracy", (float)m.TrainAccuracy, step);
        board.add_scalar("test/loss", (float)m.Test.Loss, step);
        board.add_scalar("test/accuracy", (float)m.Test.Accuracy, step);
        board.add_scalar("lr", (float)m.Lr, step);
        if (m.Validation is { } v)
        {
            board.add_scalar("val/loss", (float)v.Loss, step);
            board.add_scalar("val/accuracy", (float)v.Accuracy, step);
            if (Extra("val_bpc") is { } bpc) board.add_scalar("val/bpc", (float)bpc, step);
        }
    }
}
