// Saves the model after a given epoch under checkpoints/epoch-K.ckpt: the dense
// run's early weights a curriculum can score under (reference dense:epK).
namespace SparseLab.Training;

public sealed class EpochCheckpoint(int epoch, string path) : ITrainingCallback
{
    public string Path { get; } = path;
    public int Epoch { get; } = epoch;

    public void OnEpochEnd(TrainingContext context, EpochMetrics metrics)
    {
        if (context.Epoch + 1 == Epoch)
            Checkpoint.Save(Path, context.Model, null, new TrainingState(Epoch, context.Step, 0), context.Mask);
    }
}
