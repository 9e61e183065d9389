// Which epoch a run would be reported at if it were chosen by a held-out
// number rather than taken at its end. The seed code saves each run's best
// epoch by *test* accuracy (save_best), which lets the test set choose the
// model; SparseLab chooses by the validation split (--val) and records the
// test accuracy of that epoch beside the final one, and the seed's own choice
// (the best test accuracy of any epoch) so the two can be compared. Both come
// from the epoch events of metrics.jsonl, which every epoch evaluates.
using SparseLab.Reporting;

namespace SparseLab.Training;

public static class ModelSelection
{
    /// <summary>The summary with the best-by-validation epoch and the best test accuracy of any epoch (image classifiers).</summary>
    public static TrainingSummary Apply(TrainingSummary summary, string metricsFile, bool languageModel)
    {
        if (languageModel || !File.Exists(metricsFile)) return summary;
        var epochs = MetricsLog.Read(metricsFile).Where(e => (string?)e["event"] == "epoch")
            .Select(e => (Epoch: (int?)e["epoch"] ?? 0, Test: (double?)e["test_accuracy"], TestLoss: (double?)e["test_loss"], Val: (double?)e["val_accuracy"]))
            .Where(e => e.Test is not null).ToList();
        if (epochs.Count == 0) return summary;
        summary = summary with { BestTestAccuracy = epochs.Max(e => e.Test!.Value) };
        var withVal = epochs.Where(e => e.Val is not null).ToList();
        if (withVal.Count == 0) return summary;
        // The first epoch that reaches the best validation accuracy: a tie goes to the earlier model.
        var best = withVal.Aggregate((a, b) => b.Val!.Value > a.Val!.Value ? b : a);
        return summary with
        {
            BestValEpoch = best.Epoch, BestValAccuracy = best.Val, BestValTestAccuracy = best.Test, BestValTestLoss = best.TestLoss,
        };
    }
}
