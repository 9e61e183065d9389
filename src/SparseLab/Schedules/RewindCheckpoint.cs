// Saves the weights after K optimizer steps of IMP's dense level 0, the
// point later levels rewind their surviving weights to (Frankle et al. 2020).
using SparseLab.Training;

namespace SparseLab.Schedules;

public sealed class RewindCheckpoint(long step, string path) : ITrainingCallback
{
    public long Step { get; } = step;
    public string Path { get; } = path;

    public void OnAfterStep(TrainingContext context)
    {
        if (context.Step == Step)
            Checkpoint.Save(Path, context.Model, null, new TrainingState(context.Epoch, context.Step, 0), context.Mask);
    }
}
