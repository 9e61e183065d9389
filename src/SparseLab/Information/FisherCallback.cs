// Tracks Fisher information through training (--fisher-every K|epoch): the
// true and empirical Fisher traces, in total and per layer, on a fixed probe
// set (images, or windows of a language model's text), logged to
// metrics.jsonl as "fisher" events. The probe never changes the
// weights, BatchNorm statistics or RNG stream of the run it observes.
using SparseLab.Data;
using SparseLab.Sparsity;
using SparseLab.Training;

namespace SparseLab.Information;

/// <param name="measure">The probe: FisherProbe on images, SequenceFisher on text.</param>
public sealed class FisherCallback(Func<TrainingContext, FisherTrace> measure, string every) : ITrainingCallback
{
    /// <summary>Image classifiers: a fixed probe set of training images.</summary>
    public static FisherCallback ForImages(Dataset train, DatasetInfo info, Mask? mask, FisherOptions options, string every) =>
        new(c => FisherProbe.Measure(c.Model, train, info, mask, options, c.Device), every);

    /// <summary>Language models: fixed windows of the training text, per sequence.</summary>
    public static FisherCallback ForText(byte[] train, int blockSize, Mask? mask, FisherOptions options, string every) =>
        new(c => SequenceFisher.Measure(c.Model, train, blockSize, mask, options, c.Device), every);

    private readonly long _everySteps = every == "epoch" ? 0 : long.Parse(every, System.Globalization.CultureInfo.InvariantCulture);

    public void OnTrainBegin(TrainingContext context)
    {
        if (context.Step == 0) Measure(context, epoch: 0);   // the initialization itself
    }

    public void OnAfterStep(TrainingContext context)
    {
        if (_everySteps > 0 && context.Step % _everySteps == 0) Measure(context, context.Epoch);   // the epoch in progress
    }

    public void OnEpochEnd(TrainingContext context, EpochMetrics metrics)
    {
        if (_everySteps == 0) Measure(context, context.Epoch + 1);   // epochs completed
    }

    private void Measure(TrainingContext context, int epoch)
    {
        var trace = measure(context);
        context.Optimizer.zero_grad();   // the probe's backward passes leave gradients behind; the next step starts from zero anyway
        context.Log("fisher", new Dictionary<string, object?>
        {
            ["epoch"] = epoch,
            ["fisher_true"] = trace.True,
            ["fisher_empirical"] = trace.Empirical,
            ["fisher_samples"] = trace.Samples,
            ["per_layer"] = trace.PerLayer.ToDictionary(kv => kv.Key, kv => new { @true = kv.Value.True, empirical = kv.Value.Empirical }),
        });
    }
}
