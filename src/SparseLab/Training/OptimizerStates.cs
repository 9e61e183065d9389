// The per-parameter state tensors of TorchSharp's SGD, Adam and AdamW (momentum
// buffers; first and second moments), paired with their parameters, so masks
// can be applied to them and dynamic-sparsity methods can reset them.
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace SparseLab.Training;

public static class OptimizerStates
{
    /// <summary>(parameter, its state tensors) for every parameter that has state yet.</summary>
    public static IEnumerable<(Parameter Parameter, IReadOnlyList<Tensor> State)> Of(OptimizerHelper optimizer)
    {
        var parameters = optimizer.parameters().ToList();
        var states = optimizer.state_dict().State;
        if (states.Count != parameters.Count)
            throw new InvalidOperationException($"the optimizer has {states.Count} state entries for {parameters.Count} parameters");
        for (int i = 0; i < parameters.Count; i++)
        {
            var tensors = states[i] switch
            {
                SGD.State s => new[] { s.momentum_buffer },
                Adam.State a => new[] { a.exp_avg, a.exp_avg_sq, a.max_exp_avg_sq },
                AdamW.State a => new[] { a.exp_avg, a.exp_avg_sq, a.max_exp_avg_sq },
                _ => [],
            };
            var live = tensors.Where(t => t is not null && !t.IsInvalid).ToList();
            foreach (var t in live)
                if (!t.shape.SequenceEqual(parameters[i].shape))
                    throw new InvalidOperationException($"optimizer state {i} has shape ({string.Join(", ", t.shape)}), its parameter ({string.Join(", ", parameters[i].shape)})");
            yield return (parameters[i], live);
        }
    }
}
