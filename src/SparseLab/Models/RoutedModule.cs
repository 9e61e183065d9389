// Lets training run a model's Linear layers on other kernels (Training/Kernels)
// without the model knowing which: a model calls Route(layer, x), which asks
// the router installed for this step and otherwise runs the layer as usual.
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace SparseLab.Models;

public interface ILinearRouter
{
    /// <summary>The layer's output for <paramref name="input"/>, or null to let the layer compute it densely.</summary>
    Tensor? Forward(Linear layer, Tensor input);
}

public abstract class RoutedModule(string name) : Module<Tensor, Tensor>(name)
{
    /// <summary>Set by training for the steps it runs on sparse kernels; null runs every layer densely.</summary>
    public ILinearRouter? Router { get; set; }

    protected Tensor Route(Linear layer, Tensor input) => Router?.Forward(layer, input) ?? layer.call(input);
}
