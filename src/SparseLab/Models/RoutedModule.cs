// Lets training run a model's Linear and Conv2d layers on other kernels
// (Training/Kernels) without the model knowing which: a model calls
// Route(layer, x), which asks the router installed for this step and
// otherwise runs the layer as usual. Blocks inside a model (a ResNet's
// residual blocks) share the model's LayerRoute, so one router reaches them.
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace SparseLab.Models;

public interface ILayerRouter
{
    /// <summary>The layer's output for <paramref name="input"/>, or null to let the layer compute it densely.</summary>
    Tensor? Forward(Linear layer, Tensor input);

    /// <inheritdoc cref="Forward(Linear, Tensor)"/>
    Tensor? Forward(Conv2d layer, Tensor input);
}

/// <summary>The router a model and its blocks consult; null runs every layer densely.</summary>
public sealed class LayerRoute
{
    public ILayerRouter? Router { get; set; }

    public Tensor Run(Linear layer, Tensor input) => Router?.Forward(layer, input) ?? layer.call(input);

    public Tensor Run(Conv2d layer, Tensor input) => Router?.Forward(layer, input) ?? layer.call(input);
}

public abstract class RoutedModule(string name) : Module<Tensor, Tensor>(name)
{
    /// <summary>Shared with the model's blocks.</summary>
    protected LayerRoute Routes { get; } = new();

    /// <summary>Set by training for the steps it runs on sparse kernels; null runs every layer densely.</summary>
    public ILayerRouter? Router
    {
        get => Routes.Router;
        set => Routes.Router = value;
    }

    protected Tensor Route(Linear layer, Tensor input) => Routes.Run(layer, input);

    protected Tensor Route(Conv2d layer, Tensor input) => Routes.Run(layer, input);
}
