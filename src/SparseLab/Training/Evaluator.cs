// Loss and top-1/top-5 accuracy of a model on a dataset, in eval mode.
using SparseLab.Data;
using SparseLab.Foundations;
using TorchSharp;
using static TorchSharp.torch;

namespace SparseLab.Training;

public sealed record Evaluation(double Loss, double Accuracy, double? Top5, long Count);

public static class Evaluator
{
    public static Evaluation Evaluate(nn.Module<Tensor, Tensor> model, Dataset data, DatasetInfo info, int batchSize, Device device)
    {
        var loader = new BatchLoader(data, info, batchSize, train: false, device);
        bool top5 = info.NumClasses > 10;
        bool wasTraining = model.training;
        model.eval();
        double lossSum = 0;
        long correct = 0, correct5 = 0, count = 0;
        var sweep = new FinalizerSweep();
        using (torch.no_grad())
        {
            for (int i = 0; i < loader.BatchesPerEpoch; i++)
            {
                using var scope = torch.NewDisposeScope();
                var (x, y) = loader.Batch(0, 0, i);
                var logits = model.forward(x);                               // (B, classes)
                lossSum += nn.functional.cross_entropy(logits, y, reduction: nn.Reduction.Sum).item<float>();
                correct += logits.argmax(1).eq(y).sum().item<long>();
                if (top5)
                    correct5 += logits.topk(5, dim: 1).indexes.eq(y.unsqueeze(1)).any(1).sum().item<long>();
                count += y.shape[0];
                sweep.Tick();
            }
        }
        FinalizerSweep.Now();   // the last batches' Scalars too, before training goes on
        model.train(wasTraining);
        return new Evaluation(lossSum / count, (double)correct / count, top5 ? (double)correct5 / count : null, count);
    }

    /// <summary>The top-1 class of every example, in the dataset's order: (N) int64 on the CPU.</summary>
    public static Tensor Predict(nn.Module<Tensor, Tensor> model, Dataset data, DatasetInfo info, int batchSize, Device device)
    {
        var loader = new BatchLoader(data, info, batchSize, train: false, device);
        bool wasTraining = model.training;
        model.eval();
        var predicted = new List<Tensor>();
        using (torch.no_grad())
        {
            for (int i = 0; i < loader.BatchesPerEpoch; i++)
            {
                using var scope = torch.NewDisposeScope();
                var (x, _) = loader.Batch(0, 0, i);
                predicted.Add(model.forward(x).argmax(1).cpu().MoveToOuterDisposeScope());   // (B)
            }
        }
        model.train(wasTraining);
        var all = predicted.Count == 0 ? torch.zeros(0, ScalarType.Int64) : torch.cat(predicted);
        foreach (var p in predicted) p.Dispose();
        return all;
    }
}
