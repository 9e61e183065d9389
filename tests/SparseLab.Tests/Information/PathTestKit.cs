// Small models, states and data shared by the linear-path tests.
using SparseLab.Data;
using SparseLab.Information;
using SparseLab.Models;
using SparseLab.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace SparseLab.Tests.Information;

internal static class PathTestKit
{
    /// <summary>64 training and 32 test examples of the synthetic set.</summary>
    public static DataSplits TinyData() => DatasetCatalog.Load(new DataOptions("synthetic", LimitTrain: 64, LimitTest: 32));

    /// <summary>LeNet-300-100 at width 0.1 (784-30-10-10), no BatchNorm.</summary>
    public static nn.Module<Tensor, Tensor> Mlp(long seed, double width = 0.1)
    {
        torch.manual_seed(seed);
        return ModelRegistry.Create(new ModelSpec("mlp", 1, 28, 28, 10, width));
    }

    public static StateSource MlpState(long seed, double width = 0.1)
    {
        using var model = Mlp(seed, width);
        return StateSource.FromModel(model, $"mlp-seed{seed}");
    }

    /// <summary>A TinyConvBnNet whose running statistics moved away from (0, 1) by a few training-mode passes.</summary>
    public static TinyConvBnNet ConvBn(long seed, DataSplits data)
    {
        torch.manual_seed(seed);
        var model = new TinyConvBnNet();
        var loader = new BatchLoader(data.Train, data.Info, 16, train: true, CPU);
        model.train();
        using (torch.no_grad())
        {
            for (int i = 0; i < 3; i++)
            {
                using var scope = torch.NewDisposeScope();
                model.forward(loader.Batch(seed, 0, i).Input);
            }
        }
        model.eval();
        return model;
    }

    /// <summary>Copies a state's parameters and buffers into a model, independently of LinearPath.</summary>
    public static void Load(nn.Module model, StateSource state)
    {
        using var noGrad = torch.no_grad();
        foreach (var (name, p) in model.named_parameters()) p.copy_(state.Parameters[name]);
        foreach (var (name, b) in model.named_buffers()) b.copy_(state.Buffers[name]);
    }

    public static (Evaluation Train, Evaluation Test) Evaluate(nn.Module<Tensor, Tensor> model, DataSplits data, int batchSize) =>
        (Evaluator.Evaluate(model, data.Train, data.Info, batchSize, CPU), Evaluator.Evaluate(model, data.Test, data.Info, batchSize, CPU));

    /// <summary>The live parameter or buffer of that state-dict name.</summary>
    public static Tensor Named(nn.Module model, string name)
    {
        foreach (var (n, p) in model.named_parameters()) if (n == name) return p;
        foreach (var (n, b) in model.named_buffers()) if (n == name) return b;
        throw new ArgumentException($"the model has no '{name}'", nameof(name));
    }

    /// <summary>Same shape and bit-for-bit equal values (TorchSharp's Tensor.equal is elementwise).</summary>
    public static bool Same(Tensor a, Tensor b) => a.shape.SequenceEqual(b.shape) && a.eq(b).all().item<bool>();
}
