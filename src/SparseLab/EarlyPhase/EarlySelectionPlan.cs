// The batches of an early-selection run (--early-select): for each of the first t* steps, the B
// examples the selection keeps out of that step's pool (EarlyPool), scored by the model as it is
// at that step; from t* on, the plain loader's batches, exactly (Chooses is false there). Scoring
// runs in eval mode (BatchNorm on running statistics, as per-example gradients need) on the
// un-augmented images, and leaves the model's weights, buffers and modes as they were.
using SparseLab.Data;
using SparseLab.Sparsity;
using SparseLab.Sparsity.Criteria;
using SparseLab.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace SparseLab.EarlyPhase;

public sealed class EarlySelectionPlan : IBatchPlan
{
    private const long DrawStream = 0x45445257;   // "EDRW": the labels ŷ the Fisher scores sample
    private const long PickStream = 0x45504943;   // "EPIC": random's choice within the pool

    private readonly string _select;
    private readonly long _seed;
    private readonly int _batchSize;
    private readonly Dataset _train;
    private readonly DatasetInfo _info;
    private nn.Module<Tensor, Tensor>? _model;
    private Func<Mask?> _mask = () => null;
    private Device _device = CPU;
    private BatchLoader? _scoring;

    /// <param name="earlySteps">t*: the steps whose batches the selection chooses.</param>
    public EarlySelectionPlan(string select, int poolFactor, long earlySteps, long seed, int batchSize, Dataset train, DatasetInfo info)
    {
        if (!EarlySelection.Names.Contains(select)) throw new ArgumentException($"unknown early selection '{select}'", nameof(select));
        ArgumentOutOfRangeException.ThrowIfLessThan(poolFactor, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(batchSize, train.Count);
        (_select, _seed, _batchSize, _train, _info) = (select, seed, batchSize, train, info);
        EarlySteps = earlySteps;
        PoolSize = EarlyPool.Size(batchSize, poolFactor, train.Count);
    }

    public long EarlySteps { get; }
    public long PoolSize { get; }

    public void Begin(TrainingContext context) => Attach(context.Model, () => context.Mask, context.Device);

    /// <summary>The model that scores (the run's, as it trains) and its mask in force.</summary>
    public void Attach(nn.Module<Tensor, Tensor> model, Func<Mask?> mask, Device device)
    {
        (_model, _mask, _device) = (model, mask, device);
        _scoring = new BatchLoader(_train, _info, _batchSize, train: false, device);
    }

    public bool Chooses(long step) => step < EarlySteps;

    /// <summary>The pool's training rows at a step (the same for every selection of the same seed).</summary>
    public long[] Pool(long step) => EarlyPool.Rows(_seed, step, _train.Count, PoolSize);

    public long[] Rows(long step)
    {
        if (!Chooses(step)) throw new InvalidOperationException($"step {step} is past the early phase ({EarlySteps} steps): the plain loader's batch applies");
        var pool = Pool(step);
        long[] positions;
        if (_select == EarlySelection.Random)
        {
            using var pick = new Generator(SeedMix.Mix(_seed, PickStream, step));
            positions = EarlySelection.Pick(_select, null, pool.Length, _batchSize, pick);
        }
        else
        {
            positions = EarlySelection.Pick(_select, Scores(pool, step), pool.Length, _batchSize, null);
        }
        return [.. positions.Select(p => pool[p])];
    }

    /// <summary>The selection's score of every pool example under the current weights, in pool order.</summary>
    public double[] Scores(long[] pool, long step)
    {
        var model = _model ?? throw new InvalidOperationException("the plan scores with the run's model: call Begin or Attach first");
        using var guard = new ModelStateGuard(model);
        model.eval();
        var mask = _mask();
        using var deviceMask = mask?.To(_device);
        using var draws = new Generator(SeedMix.Mix(_seed, DrawStream, step), _device);
        var scores = new double[pool.Length];
        for (int start = 0; start < pool.Length; start += _batchSize)   // a batch at a time bounds the per-example gradients' memory
        {
            using var scope = torch.NewDisposeScope();
            var rows = pool.AsSpan(start, Math.Min(_batchSize, pool.Length - start)).ToArray();
            var (x, y) = _scoring!.BatchOf(rows, 0, 0, 0);                                     // (b, C, H, W), (b)
            var s = _select == EarlySelection.Loss ? EarlySelection.Losses(model, x, y) : EarlySelection.TrueFisher(model, x, deviceMask, draws).Scores;
            s.CopyTo(scores, start);
        }
        return scores;
    }
}
