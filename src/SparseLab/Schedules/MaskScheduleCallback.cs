// Runs a mask schedule inside training (METHODS §3, §4). It owns the mask
// enforcer so the order within a step is fixed: after backward it reads the
// dense gradient (RigL, update steps only) and THEN masks the gradient; after
// the optimizer step it masks the weights, asks the schedule whether to
// update, and after an update zeroes dropped weights, sets grown weights to
// 0, and resets the optimizer state (momentum, Adam moments) at every changed
// position. It also logs a "mask" event (sparsity, relative forward cost) at
// the start and after each update, from which TrainingCost integrates FLOPs.
using SparseLab.Sparsity;
using SparseLab.Training;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace SparseLab.Schedules;

public sealed class MaskScheduleCallback(
    MaskSchedule schedule, MaskEnforcer enforcer, IReadOnlyList<(string Name, Parameter Weight)> prunable,
    IReadOnlyList<LayerCost> costs) : ITrainingCallback
{
    private Dictionary<string, Tensor>? _denseGradients;

    public MaskSchedule Schedule => schedule;
    public MaskEnforcer Enforcer => enforcer;
    public Mask Mask => enforcer.Mask;

    public void OnTrainBegin(TrainingContext context)
    {
        if (context.ResumedMask is { } saved)
        {
            saved.CheckMatches(prunable, "saved with the checkpoint");
            foreach (var name in Mask.Names) Mask.Replace(name, saved[name]);
            enforcer.Refresh();
        }
        context.Mask = Mask;
        enforcer.OnTrainBegin(context);
        LogMask(context, dropped: 0, grown: 0, denseGradient: false);
    }

    public void OnAfterBackward(TrainingContext context)
    {
        if (schedule.NeedsDenseGradient && schedule.UpdatesAt(context.Step + 1))
        {
            using var _ = torch.no_grad();
            // Lives in the step's dispose scope, which ends after OnAfterStep.
            _denseGradients = prunable.Where(p => Mask.Contains(p.Name) && p.Weight.grad is not null)
                .ToDictionary(p => p.Name, p => p.Weight.grad!.abs());
        }
        enforcer.MaskGradients();
    }

    public void OnAfterStep(TrainingContext context)
    {
        enforcer.ApplyToWeights();
        if (!schedule.UpdatesAt(context.Step)) return;

        bool dense = _denseGradients is not null;
        var changes = schedule.Update(new MaskUpdateRequest(Mask, prunable, context.Step, _denseGradients, context.Config.Seed));
        _denseGradients = null;
        enforcer.Refresh();
        enforcer.ApplyToWeights(includeExempt: true);   // dropped weights → 0
        enforcer.MaskOptimizerState(context.Optimizer);
        ResetGrown(context.Optimizer, changes);    // grown weights and their state → 0
        LogMask(context, changes.Sum(c => c.Dropped), changes.Sum(c => c.Grown), dense);
    }

    private void ResetGrown(OptimizerHelper optimizer, IReadOnlyList<LayerUpdate> changes)
    {
        using var _ = torch.no_grad();
        var grown = changes.Where(c => c.GrownPositions is not null).ToDictionary(c => c.Name, c => c.GrownPositions!);
        if (grown.Count == 0) return;
        var byWeight = prunable.Where(p => grown.ContainsKey(p.Name)).ToList();
        foreach (var (name, w) in byWeight)
            w.masked_fill_(grown[name].to(w.device).to(ScalarType.Bool), 0);
        foreach (var (p, state) in OptimizerStates.Of(optimizer))
        {
            var match = byWeight.FirstOrDefault(b => ReferenceEquals(b.Weight, p) || b.Weight.Handle == p.Handle);
            if (match.Name is null) continue;
            var where = grown[match.Name].to(p.device).to(ScalarType.Bool);
            foreach (var t in state) t.masked_fill_(where, 0);
        }
    }

    /// <summary>Forward cost of the model at the current mask relative to dense (Conv/Linear MACs; unmasked layers count dense).</summary>
    public double ForwardCostRatio()
    {
        double dense = costs.Sum(c => (double)c.FlopsDense);
        if (dense == 0) return 1;
        var density = Mask.Layers.ToDictionary(l => l.Name, l => l.Density);
        double sparse = costs.Sum(c => c.FlopsDense * density.GetValueOrDefault(c.Name, 1.0));
        return sparse / dense;
    }

    private void LogMask(TrainingContext context, long dropped, long grown, bool denseGradient) =>
        context.Log("mask", new Dictionary<string, object?>
        {
            ["schedule"] = schedule.Name, ["sparsity"] = Mask.Sparsity, ["forward_cost"] = ForwardCostRatio(),
            ["dropped"] = dropped, ["grown"] = grown, ["dense_gradient"] = denseGradient,
        });
}
