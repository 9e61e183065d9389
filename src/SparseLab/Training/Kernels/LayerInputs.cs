// The input each routed Linear and Conv2d layer of a model sees, from one
// forward pass of a single all-zero example: its shape (a convolution's
// kernels depend on the spatial size; a Linear layer applied per position
// multiplies batch × positions rows) and whether it needs a gradient (every
// layer's but the first's). The pass runs in eval mode, so BatchNorm's running
// statistics do not move, and with gradients on, so requires_grad is what
// training will see; the model's router and mode are restored afterwards.
using SparseLab.Data;
using SparseLab.Models;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace SparseLab.Training.Kernels;

/// <summary>One layer's input for a single example: its shape (batch dimension 1) and whether it needs a gradient.</summary>
public sealed record LayerInput(long[] Shape, bool RequiresGrad)
{
    /// <summary>The case the probe times for <paramref name="layer"/> at <paramref name="batch"/> examples per step.</summary>
    public KernelCase Case(nn.Module layer, int batch, double density) => layer switch
    {
        Linear l => KernelCase.Of(new LinearShape((int)l.weight!.shape[0], (int)l.weight!.shape[1]),
            checked(batch * (int)(Shape.Aggregate(1L, (a, b) => a * b) / l.weight!.shape[1])), RequiresGrad, density),
        Conv2d c => KernelCase.Of(new Conv2dShape((int)c.weight!.shape[1], (int)c.weight!.shape[0], (int)c.weight!.shape[2], (int)c.weight!.shape[3],
            (int)c.stride[0], (int)c.stride[1], (int)c.padding![0], (int)c.padding[1], (int)Shape[2], (int)Shape[3]), batch, RequiresGrad, density),
        _ => throw new ArgumentException($"no sparse training kernel for {layer.GetType().Name}"),
    };
}

public sealed class LayerInputs : ILayerRouter
{
    private readonly Dictionary<nn.Module, LayerInput> _seen = new(ReferenceEqualityComparer.Instance);

    private LayerInputs() { }

    public static IReadOnlyDictionary<nn.Module, LayerInput> Of(RoutedModule model, InputShape input)
    {
        var capture = new LayerInputs();
        var (router, training) = (model.Router, model.training);
        using var scope = torch.NewDisposeScope();
        using var grad = torch.enable_grad();
        try
        {
            model.eval();
            model.Router = capture;
            model.call(input.Zeros(ScalarType.Float32, torch.CPU));   // (1, C, H, W) or (1, T)
        }
        finally
        {
            model.Router = router;
            model.train(training);
        }
        return capture._seen;
    }

    Tensor? ILayerRouter.Forward(Linear layer, Tensor input) => Record(layer, input);

    Tensor? ILayerRouter.Forward(Conv2d layer, Tensor input) => Record(layer, input);

    private Tensor? Record(nn.Module layer, Tensor input)
    {
        _seen.TryAdd(layer, new LayerInput(input.shape, input.requires_grad));
        return null;   // the layer runs densely, as usual
    }
}
