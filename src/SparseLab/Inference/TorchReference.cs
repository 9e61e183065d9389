// The same weights in the original libtorch model, densified: the reference
// for accuracy checks and the dense baseline of `bench infer`. A BatchNorm
// folded into its convolution at export runs as an identity that adds the
// folded bias, so libtorch still pays for it as the original model does.
using SparseLab.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace SparseLab.Inference;

public static class TorchReference
{
    /// <summary>The model of <paramref name="model"/>'s metadata with its weights and biases loaded, in eval mode.</summary>
    public static nn.Module<Tensor, Tensor> Build(SparseModel model)
    {
        var info = model.Info;
        var module = ModelRegistry.Create(new ModelSpec(info.Model, info.Input[0], info.Input[1], info.Input[2], info.Classes, info.Width));
        var parameters = module.named_parameters().ToDictionary(p => p.name, p => p.parameter);
        var buffers = module.named_buffers().ToDictionary(b => b.name, b => b.buffer);
        var norms = info.Layers.Where(l => l.Name is not null && l.Norm is not null).ToDictionary(l => l.Name!, l => l.Norm!);
        using (torch.no_grad())
        {
            foreach (var (name, layer) in model.Layers)
            {
                var w = parameters[name + ".weight"];
                w.copy_(torch.tensor(layer.Weight.ToDense(), w.shape));
                // A folded BatchNorm becomes the identity holding the folded bias (the convolution may have none).
                string biasOwner = norms.TryGetValue(name, out var norm) ? norm : name;
                parameters[biasOwner + ".bias"].copy_(torch.tensor(layer.Bias));
                if (norm is null) continue;
                if (parameters.TryGetValue(name + ".bias", out var own)) own.zero_();
                parameters[norm + ".weight"].fill_(1);
                buffers[norm + ".running_mean"].zero_();
                buffers[norm + ".running_var"].fill_(1 - 1e-5);   // √(var + ε) = 1
            }
        }
        module.eval();
        return module;
    }
}
