// A term the trainer adds to a step's loss before the backward pass (the Fisher penalty): the seam
// for regularizers that need the step's own graph. The step's logged loss stays the data loss.
using static TorchSharp.torch;

namespace SparseLab.Training;

public interface ILossTerm
{
    /// <summary>Once before the first step (also after a resume).</summary>
    void Begin(TrainingContext context) { }

    /// <summary>The term to add at this step (a scalar in the step's graph), or null when there is none.</summary>
    /// <param name="logits">The step's forward output (B, classes), still in the graph.</param>
    Tensor? Term(TrainingContext context, Tensor logits);
}
