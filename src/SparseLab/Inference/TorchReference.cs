// The same weights in the original libtorch model, densified: the reference
// for accuracy checks and the dense baseline of `bench infer`.
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
        using (torch.no_grad())
        {
            foreach (var (name, layer) in model.Layers)
            {
                var w = parameters[name + ".weight"];
                w.copy_(torch.tensor(layer.Weight.ToDense(), w.shape));
                parameters[name + ".bias"].copy_(torch.tensor(layer.Bias));
            }
        }
        module.eval();
        return module;
    }
}
