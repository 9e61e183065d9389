// Re-estimates BatchNorm running statistics for the weights a model holds now
// (METHODS §5: at every α of a linear path, θ(α)'s statistics are neither
// θ_A's nor θ_B's). Only the BatchNorm layers run in train mode, without
// gradients, on the same training batches at every α.
//
// The estimate is PyTorch's cumulative average (momentum=None): the running
// mean is the average over batches of the batch means and the running variance
// the average of the unbiased batch variances. TorchSharp's handling of a null
// momentum has changed between versions, so instead of relying on it a
// forward hook on each BatchNorm layer accumulates its input's batch
// statistics (in float64) and the average is written into running_mean and
// running_var at the end; num_batches_tracked becomes the number of batches.
using SparseLab.Data;
using SparseLab.Foundations;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace SparseLab.Information;

internal static class BatchNormStatistics
{
    /// <summary>
    /// Uses min(<paramref name="maxBatches"/>, ⌊N / batch size⌋) full training batches of epoch 0 in the
    /// order seeded by <paramref name="seed"/> (one batch of all N when N is below the batch size), so every
    /// batch has the same size and the average of batch means is the mean over the examples seen.
    /// Returns the number of batches used (0 when the model has no BatchNorm with running statistics).
    /// Leaves the model in eval mode.
    /// </summary>
    public static int Recompute(nn.Module<Tensor, Tensor> model, Dataset train, DatasetInfo info, int maxBatches, int batchSize, long seed, Device device)
    {
        var buffers = new Dictionary<string, Tensor>();
        foreach (var (name, buffer) in model.named_buffers()) buffers[name] = buffer;
        var layers = new List<Layer>();
        foreach (var (name, module) in model.named_modules())
        {
            if (module is not (BatchNorm1d or BatchNorm2d or BatchNorm3d)) continue;
            string prefix = name.Length == 0 ? "" : name + ".";
            if (!buffers.TryGetValue(prefix + "running_mean", out var mean) || !buffers.TryGetValue(prefix + "running_var", out var variance))
                continue;   // track_running_stats=false: the layer always uses batch statistics
            layers.Add(new Layer(name, (nn.Module<Tensor, Tensor>)module, mean, variance, buffers.GetValueOrDefault(prefix + "num_batches_tracked")));
        }
        model.eval();
        if (layers.Count == 0) return 0;

        var loader = new BatchLoader(train, info, batchSize, train: true, device);
        int batches = (int)Math.Min(maxBatches, Math.Max(1, train.Count / batchSize));
        var removers = new List<Action>();
        try
        {
            foreach (var layer in layers)
            {
                var hook = layer.Module.register_forward_hook((_, input, output) =>
                {
                    layer.Accumulate(input);
                    return output;
                });
                removers.Add(hook.remove);
                layer.Module.train();
            }
            using var noGrad = torch.no_grad();
            for (int i = 0; i < batches; i++)
            {
                using var scope = torch.NewDisposeScope();
                var (x, _) = loader.Batch(seed, 0, i);   // (B, C, H, W)
                model.forward(x);
            }
        }
        finally
        {
            foreach (var remove in removers) remove();
            model.eval();
        }

        try
        {
            // TorchSharp runs forward hooks only in Module.call; a layer invoked as layer.forward(x) would be left with stale statistics.
            var unseen = layers.Where(l => l.Seen == 0).Select(l => l.Name).ToList();
            if (unseen.Count > 0)
                throw new SparseLabException(
                    $"cannot recompute BatchNorm statistics: the forward pass never reached {string.Join(", ", unseen)} through Module.call; use --bn copy");
            foreach (var layer in layers) layer.Write();
        }
        finally
        {
            foreach (var layer in layers) layer.Dispose();
        }
        return batches;
    }

    private sealed class Layer(string name, nn.Module<Tensor, Tensor> module, Tensor runningMean, Tensor runningVar, Tensor? count) : IDisposable
    {
        private Tensor? _sumMean;   // (C) float64: Σ over batches of the batch mean
        private Tensor? _sumVar;    // (C) float64: Σ over batches of the unbiased batch variance

        public string Name { get; } = name;
        public nn.Module<Tensor, Tensor> Module { get; } = module;
        public int Seen { get; private set; }

        public void Accumulate(Tensor input)   // (B, C) or (B, C, ...)
        {
            using var scope = torch.NewDisposeScope();
            long c = input.shape[1];
            var x = input.detach().transpose(0, 1).reshape(c, -1).to(ScalarType.Float64);   // (C, B·spatial)
            long n = x.shape[1];
            var mean = x.mean([1]);                                                          // (C)
            var variance = x.sub(mean.unsqueeze(1)).square().sum([1]).div(n - 1);           // (C), unbiased like running_var
            if (_sumMean is null || _sumVar is null)
            {
                _sumMean = torch.zeros_like(mean).DetachFromDisposeScope();
                _sumVar = torch.zeros_like(variance).DetachFromDisposeScope();
            }
            _sumMean.add_(mean);
            _sumVar.add_(variance);
            Seen++;
        }

        public void Write()
        {
            using var scope = torch.NewDisposeScope();
            using var noGrad = torch.no_grad();
            runningMean.copy_(_sumMean!.div(Seen));
            runningVar.copy_(_sumVar!.div(Seen));
            count?.fill_(Seen);
        }

        public void Dispose()
        {
            _sumMean?.Dispose();
            _sumVar?.Dispose();
        }
    }
}
