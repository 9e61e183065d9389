// The seam every way of changing a mask during training plugs into (METHODS §4):
// at chosen steps the schedule rewrites the mask in place; the trainer-side
// callback (MaskScheduleCallback) then zeroes dropped weights, zeroes grown
// weights and resets their optimizer state. One-shot pruning is the schedule
// that never updates; a new dynamic method is one subclass.
using SparseLab.Sparsity;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace SparseLab.Schedules;

/// <summary>What a schedule sees at an update: the live mask, the weights, the step and (if asked for) the dense gradients.</summary>
/// <param name="Step">Optimizer steps completed, this one included.</param>
/// <param name="DenseGradients">|∂L/∂w| at every position (pruned ones included), per masked layer; only for schedules that need it.</param>
public sealed record MaskUpdateRequest(
    Mask Mask, IReadOnlyList<(string Name, Parameter Weight)> Prunable, long Step,
    IReadOnlyDictionary<string, Tensor>? DenseGradients, long Seed);

/// <summary>One layer's change: weights dropped, weights grown, and where the grown ones are (0/1, the layer's shape).</summary>
public sealed record LayerUpdate(string Name, long Dropped, long Grown, Tensor? GrownPositions);

public abstract class MaskSchedule
{
    /// <summary>The --schedule name.</summary>
    public abstract string Name { get; }

    /// <summary>Sparsity the mask starts training at (GMP starts below its target).</summary>
    public abstract double StartSparsity { get; }

    /// <summary>Whether Update needs |dense gradient| (RigL); it is read only on update steps.</summary>
    public virtual bool NeedsDenseGradient => false;

    /// <summary>Whether every layer keeps its number of weights through the updates (drop-and-grow does; GMP prunes more).</summary>
    public virtual bool KeepsLayerCounts => true;

    /// <summary>Whether the mask changes after the optimizer step that brings the count to <paramref name="step"/>.</summary>
    public abstract bool UpdatesAt(long step);

    /// <summary>Rewrites request.Mask in place (Mask.Replace) and says what changed per layer; leaves the weights alone.</summary>
    public abstract IReadOnlyList<LayerUpdate> Update(MaskUpdateRequest request);
}
