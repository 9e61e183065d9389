// Gradual magnitude pruning (Zhu & Gupta 2017, eq. 1; METHODS §4): every Δt
// steps in [t0, t0 + nΔt] the mask is re-chosen by |w| at
//   s_t = s_f + (s_i − s_f) · (1 − (t − t0)/(nΔt))³,
// keeping pruned weights pruned (the budget's `current`), so sparsity only
// rises and reaches s_f exactly at the last update. n = ⌊(T_end − t0)/Δt⌋.
using SparseLab.Sparsity;
using TorchSharp;
using static TorchSharp.torch;

namespace SparseLab.Schedules;

public sealed class GmpSchedule(UpdateWindow window, double initialSparsity, double finalSparsity, ISparsityBudget budget) : MaskSchedule
{
    public override string Name => "gmp";
    public override double StartSparsity => initialSparsity;
    public override bool KeepsLayerCounts => false;
    public override bool UpdatesAt(long step) => window.Contains(step) && step <= LastStep;

    private long LastStep => window.Start + window.Intervals * window.Every;

    /// <summary>s_t of the cubic schedule; s_i before t0 and s_f after t0 + nΔt.</summary>
    public double SparsityAt(long step)
    {
        double progress = Math.Clamp((double)(step - window.Start) / (window.Intervals * window.Every), 0, 1);
        return finalSparsity + (initialSparsity - finalSparsity) * Math.Pow(1 - progress, 3);
    }

    public override IReadOnlyList<LayerUpdate> Update(MaskUpdateRequest request)
    {
        var mask = request.Mask;
        var before = mask.Layers.ToDictionary(l => l.Name, l => l.Nonzero);
        var scores = request.Prunable.Where(p => mask.Contains(p.Name))
            .ToDictionary(p => p.Name, p => (Tensor)p.Weight.detach().abs());   // (weight shape) |w|
        using var next = budget.Select(scores, SparsityAt(request.Step), mask);
        foreach (var name in mask.Names) mask.Replace(name, next[name]);
        return [.. mask.Layers.Select(l => new LayerUpdate(l.Name, before[l.Name] - l.Nonzero, 0, null))];
    }
}
