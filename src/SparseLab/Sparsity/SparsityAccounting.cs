// Parameters and forward FLOPs of every Conv2d and Linear layer, dense and
// sparse. FLOPs count multiply-accumulates (one MAC = one FLOP), as ShrinkBench
// (Blalock et al. 2020, "What is the State of Neural Network Pruning?") and the
// RigL paper (Evci et al. 2020, Appendix H) do; ReLU, pooling and BatchNorm are
// not counted. Per output position p of a layer:
//   conv   dense  outH·outW·Cout·Cin·kh·kw (+ outH·outW·Cout with bias)
//          sparse outH·outW·nnz(W)         (+ outH·outW·Cout with bias)
//   linear dense  in·out (+ out),  sparse nnz(W) (+ out).
// The output sizes come from one forward pass of a single zero example.
using SparseLab.Data;
using SparseLab.Foundations;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace SparseLab.Sparsity;

public static class SparsityAccounting
{
    /// <summary>
    /// Cost of each Conv2d and Linear layer in module order for one example of
    /// <paramref name="input"/>; runs the model once in eval mode under no_grad
    /// and restores its training mode.
    /// </summary>
    /// <exception cref="SparseLabException">A Conv2d or Linear layer whose forward hook never fired.</exception>
    public static IReadOnlyList<LayerCost> Measure(nn.Module<Tensor, Tensor> model, InputShape input)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(input);
        var layers = new List<(string Name, string Kind, nn.Module<Tensor, Tensor> Module, Parameter Weight, Parameter? Bias)>();
        foreach (var (name, module) in model.named_modules())
        {
            var prefix = name.Length == 0 ? "" : name + ".";
            if (module is Conv2d c) layers.Add((prefix + "weight", "conv", c, c.weight!, c.bias));
            else if (module is Linear l) layers.Add((prefix + "weight", "linear", l, l.weight!, l.bias));
        }

        // Output positions per layer: outH·outW for a conv, 1 for a linear layer
        // (its output numel over its output channels); summed if a layer runs twice.
        var positions = new long[layers.Count];
        var removers = new List<Action>();
        bool wasTraining = model.training;
        try
        {
            for (int i = 0; i < layers.Count; i++)
            {
                int index = i;
                long outChannels = layers[i].Weight.shape[0];
                var hook = layers[i].Module.register_forward_hook((_, _, output) =>
                {
                    positions[index] += output.numel() / outChannels;
                    return output;
                });
                removers.Add(hook.remove);
            }
            model.eval();
            using var scope = torch.NewDisposeScope();
            using var noGrad = torch.no_grad();
            var first = model.parameters().FirstOrDefault();
            var x = input.Zeros(first?.dtype ?? ScalarType.Float32, first?.device ?? torch.CPU);   // (1, C, H, W) or (1, T)
            model.forward(x);
        }
        finally
        {
            foreach (var remove in removers) remove();
            model.train(wasTraining);
        }

        // TorchSharp runs forward hooks only in Module.call, so a layer invoked as
        // layer.forward(x) is invisible here; a silent 0 FLOPs would be wrong.
        var unseen = layers.Where((_, i) => positions[i] == 0).Select(l => l.Name).ToList();
        if (unseen.Count > 0)
            throw new SparseLabException(
                $"cannot count FLOPs: the forward pass never reached {string.Join(", ", unseen)} through Module.call (a model must invoke its layers as layer.call(x), not layer.forward(x), for forward hooks to run)");

        var result = new List<LayerCost>(layers.Count);
        using (torch.no_grad())
        {
            for (int i = 0; i < layers.Count; i++)
            {
                var (name, kind, _, w, bias) = layers[i];
                long count = w.numel();
                long nonzero = w.count_nonzero().item<long>();
                long biasAdds = bias is null ? 0 : positions[i] * w.shape[0];
                result.Add(new LayerCost(name, kind, w.shape, count, nonzero,
                    positions[i] * count + biasAdds, positions[i] * nonzero + biasAdds));
            }
        }
        return result;
    }
}
