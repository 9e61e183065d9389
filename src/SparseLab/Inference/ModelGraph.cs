// The layer sequence of each architecture the sparse engine runs, written out
// from the models' forward() (Models/Mlp.cs, Models/LeNet5.cs). Networks with
// BatchNorm and shortcuts (ResNets, VGG) are not supported yet.
using SparseLab.Foundations;

namespace SparseLab.Inference;

public static class ModelGraph
{
    public static IReadOnlyList<string> Supported { get; } = ["mlp", "lenet5"];

    /// <summary>The layers of <paramref name="model"/>; <paramref name="weightShape"/> gives a state-dict weight's shape by name.</summary>
    public static LayerSpec[] Layers(string model, int inputHeight, Func<string, long[]> weightShape) => model switch
    {
        "mlp" =>
        [
            new("flatten"),
            Linear("fc1", weightShape, relu: true), Linear("fc2", weightShape, relu: true), Linear("fc3", weightShape, relu: false),
        ],
        "lenet5" =>
        [
            // LeNet5 pads the first convolution by 2 on a 28x28 input so both 28 and 32 reach 5x5 before fc1.
            Conv("conv1", weightShape, padding: inputHeight == 28 ? 2 : 0), new("maxpool2d", Kernel: [2, 2], Stride: [2, 2]),
            Conv("conv2", weightShape, padding: 0), new("maxpool2d", Kernel: [2, 2], Stride: [2, 2]),
            new("flatten"),
            Linear("fc1", weightShape, relu: true), Linear("fc2", weightShape, relu: true), Linear("fc3", weightShape, relu: false),
        ],
        _ => throw new InvalidOptionException(
            $"model '{model}' cannot be exported for sparse inference: the engine runs {string.Join(" and ", Supported)} " +
            "(Linear, Conv2d, ReLU, max pooling, flatten); BatchNorm and residual shortcuts (resnet*, vgg*) are not supported"),
    };

    private static LayerSpec Linear(string name, Func<string, long[]> shape, bool relu)
    {
        var s = shape(name + ".weight");   // (out, in)
        return new LayerSpec("linear", name, In: (int)s[1], Out: (int)s[0], Relu: relu);
    }

    private static LayerSpec Conv(string name, Func<string, long[]> shape, int padding)
    {
        var s = shape(name + ".weight");   // (out, in, kh, kw)
        return new LayerSpec("conv2d", name, In: (int)s[1], Out: (int)s[0], Kernel: [(int)s[2], (int)s[3]], Stride: [1, 1],
            Padding: [padding, padding], Relu: true);
    }
}
