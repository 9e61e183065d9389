// Loss along the straight line between two trained networks (METHODS §5;
// Goodfellow et al. 2015, "Qualitatively characterizing neural network
// optimization problems"; Evci et al. 2020 for sparse networks):
// θ(α) = (1 − α)·θ_A + α·θ_B over all trainable parameters, with the shared
// mask applied at every α, evaluated on the train and test sets.
using SparseLab.Data;
using SparseLab.Sparsity;
using SparseLab.Sparsity.Criteria;
using SparseLab.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace SparseLab.Information;

public static class LinearPath
{
    /// <summary>
    /// Evaluates θ(α) at every α of <see cref="PathOptions.Alphas"/>. <paramref name="model"/> is a scratch
    /// model of the same architecture as A and B, on <paramref name="device"/>; it is snapshotted first and its
    /// parameters, buffers and train/eval flags are put back bit for bit afterwards (also on error).
    /// <paramref name="data"/>.Train may be a subset; it serves both for BatchNorm re-estimation and for the
    /// train loss. <paramref name="progress"/> gets (points done, points in all) after each point.
    /// </summary>
    /// <exception cref="Foundations.InvalidOptionException">Bad options, different models, or a mask that does not fit.</exception>
    public static IReadOnlyList<PathPoint> Evaluate(nn.Module<Tensor, Tensor> model, StateSource a, StateSource b, Mask? mask,
        DataSplits data, PathOptions options, Device device, Action<int, int>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(data);
        return Evaluate(model, a, b, mask, options, device, (data.Train, data.Info),
            m => Evaluator.Evaluate(m, data.Train, data.Info, options.BatchSize, device),
            m => Evaluator.Evaluate(m, data.Test, data.Info, options.BatchSize, device), progress);
    }

    /// <summary>The path of a language model (or any run's data): evaluated by the data's own train and held-out evaluations; a GPT has no BatchNorm to re-estimate.</summary>
    public static IReadOnlyList<PathPoint> Evaluate(nn.Module<Tensor, Tensor> model, StateSource a, StateSource b, Mask? mask,
        Training.Tasks.TrainingData data, PathOptions options, Device device, Action<int, int>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(data);
        if (data.Task.ClassifiesImages && data.Images is { } images) return Evaluate(model, a, b, mask, images, options, device, progress);
        return Evaluate(model, a, b, mask, options, device, null,
            m => data.EvaluateTrain(m, options.BatchSize, device), m => data.EvaluateTest(m, options.BatchSize, device), progress);
    }

    private static IReadOnlyList<PathPoint> Evaluate(nn.Module<Tensor, Tensor> model, StateSource a, StateSource b, Mask? mask,
        PathOptions options, Device device, (Dataset Train, DatasetInfo Info)? batchNormData,
        Func<nn.Module<Tensor, Tensor>, Evaluation> evaluateTrain, Func<nn.Module<Tensor, Tensor>, Evaluation> evaluateTest, Action<int, int>? progress)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(options);
        var alphas = options.Alphas();
        Check(model, a, b, mask);

        var points = new List<PathPoint>(alphas.Count);
        using var guard = new ModelStateGuard(model);
        for (int i = 0; i < alphas.Count; i++)
        {
            Load(model, a, b, alphas[i], mask, batchNormData, options, device);
            var train = evaluateTrain(model);
            var test = evaluateTest(model);
            points.Add(new PathPoint(alphas[i], train.Loss, train.Accuracy, test.Loss, test.Accuracy));
            progress?.Invoke(i + 1, alphas.Count);
        }
        return points;
    }

    /// <summary>
    /// Puts θ(α) into <paramref name="model"/> and leaves it in eval mode, with BatchNorm statistics as
    /// <paramref name="options"/>.BatchNorm says: re-estimated on <paramref name="train"/> ("recompute") or
    /// θ_B's ("copy"). Other buffers are θ_B's. Unlike <see cref="Evaluate"/>, the model keeps what it is given.
    /// </summary>
    public static void Apply(nn.Module<Tensor, Tensor> model, StateSource a, StateSource b, double alpha, Mask? mask,
        Dataset train, DatasetInfo info, PathOptions options, Device device)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        Check(model, a, b, mask);
        Load(model, a, b, alpha, mask, (train, info), options, device);
    }

    /// <summary>
    /// (1 − α)·θ_A + α·θ_B for every trainable parameter, times the mask for every masked weight; on the CPU.
    /// Computed as θ_A·(1 − α) + α·θ_B, which is exactly θ_A at α = 0 and exactly θ_B at α = 1.
    /// The caller owns the tensors (or its dispose scope does).
    /// </summary>
    public static Dictionary<string, Tensor> Interpolate(StateSource a, StateSource b, double alpha, Mask? mask)
    {
        PathCompatibility.CheckSameModel(a, b);
        if (mask is not null) PathCompatibility.CheckMaskFits(mask, a);
        using var noGrad = torch.no_grad();
        var theta = new Dictionary<string, Tensor>();
        foreach (var (name, pa) in a.Parameters)
        {
            var t = pa.mul(1 - alpha).add_(b.Parameters[name], alpha);
            if (mask is not null && mask.Contains(name)) t.mul_(mask[name].to(t.dtype, t.device));
            theta[name] = t;
        }
        return theta;
    }

    private static void Check(nn.Module model, StateSource a, StateSource b, Mask? mask)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        PathCompatibility.CheckSameModel(a, b);
        PathCompatibility.CheckFits(a, model);
        if (mask is not null) PathCompatibility.CheckMaskFits(mask, a);
    }

    /// <param name="batchNormData">The images BatchNorm statistics are re-estimated on; null for a model without BatchNorm (text).</param>
    private static void Load(nn.Module<Tensor, Tensor> model, StateSource a, StateSource b, double alpha, Mask? mask,
        (Dataset Train, DatasetInfo Info)? batchNormData, PathOptions options, Device device)
    {
        using (var scope = torch.NewDisposeScope())
        using (torch.no_grad())
        {
            var theta = Interpolate(a, b, alpha, mask);
            foreach (var (name, p) in model.named_parameters())
                if (theta.TryGetValue(name, out var t)) p.copy_(t);
            // θ_B's buffers; with "recompute" the BatchNorm statistics among them are overwritten below.
            foreach (var (name, buffer) in model.named_buffers())
                buffer.copy_(b.Buffers[name]);
        }
        if (options.BatchNorm == "recompute" && batchNormData is var (train, info))
            BatchNormStatistics.Recompute(model, train, info, options.BnBatches, options.BatchSize, options.Seed, device);
        model.eval();
    }
}
