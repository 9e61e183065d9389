// What the early phase costs beyond plain training, in forward-pass equivalents per example (a
// backward counts as two forwards), so a run's train_flops counts it: the selection scores every
// pool example of each early step (fisher 3, loss 1, random 0), the Fisher penalty adds 6 per
// example of each early batch. TrainingRun turns passes into FLOPs at the run's mean density.
namespace SparseLab.EarlyPhase;

public static class EarlyPhaseCost
{
    /// <param name="earlySteps">t*.</param>
    /// <param name="trainCount">Training examples (the plain loader's last batch of an epoch may be smaller).</param>
    public static double ExtraPasses(EarlyPhaseConfig early, long earlySteps, int batchSize, long trainCount, int stepsPerEpoch)
    {
        if (!early.Used) return 0;
        double passes = 0;
        if (early.Select is { } select)
            passes += earlySteps * EarlyPool.Size(batchSize, early.PoolFactor, trainCount) * EarlySelection.PassesPerExample(select);
        if (early.Penalty is not null)
        {
            double examples = 0;
            for (long s = 0; s < earlySteps; s++)
                examples += early.Select is not null ? batchSize : Math.Min(batchSize, trainCount - s % stepsPerEpoch * (long)batchSize);
            passes += examples * FisherPenalty.PassesPerExample;
        }
        return passes;
    }
}
