// Which training rows each step's batch holds, when not the plain per-epoch
// permutation of BatchLoader: the seam a data curriculum plugs into.
namespace SparseLab.Training;

public interface IBatchPlan
{
    /// <summary>Once before the first step (also after a resume, with the checkpoint loaded).</summary>
    void Begin(TrainingContext context);
    /// <summary>At the start of every epoch, before its first step.</summary>
    void OnEpochBegin(TrainingContext context) { }
    /// <summary>Whether the plan chooses the batch at step (0-based); where it does not, the batch is the plain loader's.</summary>
    bool Chooses(long step) => true;
    /// <summary>The training-set rows of the batch at step (0-based); the same for the same step, always.</summary>
    long[] Rows(long step);
}
