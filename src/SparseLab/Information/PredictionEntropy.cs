// The mean entropy of a classifier's predictive distribution, H(p_θ(·|x)) =
// −Σ_c p_c ln p_c in nats, over a set of examples in eval mode: Ye et al. 2022
// (Table 2) compare it at Sol-S and Sol-F (a less confident solution reads higher).
using SparseLab.Data;
using SparseLab.Sparsity.Criteria;
using TorchSharp;
using static TorchSharp.torch;

namespace SparseLab.Information;

public static class PredictionEntropy
{
    /// <summary>Mean over every example of <paramref name="data"/> of −Σ_c p_c ln p_c (nats), p = softmax of the logits in float64.</summary>
    public static double Mean(nn.Module<Tensor, Tensor> model, Dataset data, DatasetInfo info, int batchSize, Device device)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(data);
        if (data.Count == 0) throw new ArgumentException($"dataset '{data.Name}' is empty: no predictions to take the entropy of", nameof(data));
        using var guard = new ModelStateGuard(model);
        model.eval();
        var loader = new BatchLoader(data, info, batchSize, train: false, device);
        var dtype = model.parameters().FirstOrDefault()?.dtype ?? ScalarType.Float32;   // a float64 model reads float64 inputs
        double sum = 0;
        using var noGrad = torch.no_grad();
        for (int b = 0; b < loader.BatchesPerEpoch; b++)
        {
            using var scope = NewDisposeScope();
            var (x, _) = loader.Batch(0, 0, b);                                          // (B, C, H, W)
            var logp = nn.functional.log_softmax(model.call(x.to(dtype)).to(ScalarType.Float64), 1);   // (B, classes)
            sum -= (logp.exp() * logp).sum().item<double>();
        }
        return sum / data.Count;
    }
}
