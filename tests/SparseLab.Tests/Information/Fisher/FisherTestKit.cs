// Builders the Fisher tests share: registry models in eval mode with non-trivial BatchNorm statistics, random
// masks over the prunable weights, random inputs, and a tiny uint8 dataset.
using SparseLab.Data;
using SparseLab.Models;
using SparseLab.Sparsity;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace SparseLab.Tests.Information.Fisher;

internal static class FisherTestKit
{
    /// <summary>The registry model in eval mode, with BatchNorm parameters and running statistics moved off 1/0.</summary>
    public static nn.Module<Tensor, Tensor> Model(string name, int seed = 0)
    {
        torch.manual_seed(seed);
        bool small = name is "mlp" or "lenet5";
        var model = ModelRegistry.Create(small
            ? new ModelSpec(name, 1, 28, 28, 10)
            : new ModelSpec(name, 3, 32, 32, 10, WidthMultiplier: 0.25));
        Perturb(model);
        model.eval();
        return model;
    }

    public static void Perturb(nn.Module model)
    {
        using var noGrad = torch.no_grad();
        foreach (var (_, m) in model.named_modules())
        {
            if (m is not BatchNorm2d bn) continue;
            bn.weight!.copy_(torch.rand_like(bn.weight!) + 0.5);
            bn.bias!.copy_(torch.randn_like(bn.bias!) * 0.1);
            bn.running_mean!.copy_(torch.randn_like(bn.running_mean!) * 0.1);
            bn.running_var!.copy_(torch.rand_like(bn.running_var!) + 0.5);
        }
    }

    public static Tensor Input(string name, int batch) =>
        name is "mlp" or "lenet5" ? torch.randn(batch, 1, 28, 28) : torch.randn(batch, 3, 32, 32);

    /// <summary>About half of every prunable weight kept, drawn from a private generator.</summary>
    public static Mask RandomMask(nn.Module model, long seed = 7)
    {
        using var generator = new Generator((ulong)seed);
        return new Mask(PrunableParameters.Of(model).ToDictionary(
            p => p.Name, p => torch.rand(p.Weight.shape, generator: generator).lt(0.5).to(ScalarType.Float32)));
    }

    /// <summary>N random 1×28×28 images with labels in 0..9, and their info.</summary>
    public static (Dataset Data, DatasetInfo Info) Images(int count, int seed = 3)
    {
        using var generator = new Generator((ulong)seed);
        var images = torch.randint(0, 256, [count, 1, 28, 28], generator: generator).to(ScalarType.Byte);
        var labels = torch.randint(0, 10, [count], generator: generator);
        var info = new DatasetInfo("random", 1, 28, 28, 10, [0.5f], [0.25f], Augment: false);
        return (new Dataset("random", images, labels, 10), info);
    }

    public static double[] Values(Tensor t) => t.to(ScalarType.Float64).cpu().data<double>().ToArray();
}
