// The layer sequence of each architecture the sparse engine runs, written out
// from the models' forward() (Models/Mlp.cs, LeNet5.cs, ResNetCifar.cs,
// Vgg.cs). Every BatchNorm follows a convolution and is folded into it at
// export (Norm); a ResNet block is save, two convolutions, add_shortcut.
using SparseLab.Foundations;

namespace SparseLab.Inference;

public static class ModelGraph
{
    public static IReadOnlyList<string> Supported { get; } = ["mlp", "mlp-wide", "lenet5", "resnet20", "resnet32", "resnet56", "vgg11", "vgg16"];

    /// <summary>The layers of <paramref name="model"/>; <paramref name="weightShape"/> gives a state-dict weight's shape by name.</summary>
    public static LayerSpec[] Layers(string model, int inputHeight, Func<string, long[]> weightShape) => model switch
    {
        "mlp" or "mlp-wide" =>
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
        "resnet20" or "resnet32" or "resnet56" => ResNet(int.Parse(model["resnet".Length..]), weightShape),
        "vgg11" or "vgg16" => Vgg(Models.Vgg.Config(int.Parse(model["vgg".Length..])), weightShape),
        _ => throw new InvalidOptionException(
            $"model '{model}' cannot be exported for sparse inference: the engine runs {string.Join(", ", Supported)}"),
    };

    private static LayerSpec[] ResNet(int depth, Func<string, long[]> shape)
    {
        var layers = new List<LayerSpec> { Conv("conv1", shape, padding: 1, norm: "bn1") };
        for (int stage = 1; stage <= 3; stage++)
            for (int b = 0; b < (depth - 2) / 6; b++)
            {
                string block = $"layer{stage}.{b}";
                int stride = stage > 1 && b == 0 ? 2 : 1;
                var c1 = Conv(block + ".conv1", shape, padding: 1, norm: block + ".bn1", stride: stride);
                var c2 = Conv(block + ".conv2", shape, padding: 1, norm: block + ".bn2", relu: false);
                layers.AddRange([new("save"), c1, c2, new("add_shortcut", In: c1.In, Out: c2.Out, Stride: [stride, stride])]);
            }
        layers.AddRange([new("avgpool"), new("flatten"), Linear("fc", shape, relu: false)]);
        return [.. layers];
    }

    // The features Sequential: a convolution is three modules (conv, BatchNorm, ReLU), a pool one.
    private static LayerSpec[] Vgg(int[] config, Func<string, long[]> shape)
    {
        var layers = new List<LayerSpec>();
        int index = 0;
        foreach (int entry in config)
        {
            if (entry == Models.Vgg.Pool)
            {
                layers.Add(new("maxpool2d", Kernel: [2, 2], Stride: [2, 2], Ceil: true));
                index++;
                continue;
            }
            layers.Add(Conv($"features.{index}", shape, padding: 1, norm: $"features.{index + 1}"));
            index += 3;
        }
        layers.AddRange([new("flatten"), Linear("classifier", shape, relu: false)]);
        return [.. layers];
    }

    private static LayerSpec Linear(string name, Func<string, long[]> shape, bool relu)
    {
        var s = shape(name + ".weight");   // (out, in)
        return new LayerSpec("linear", name, In: (int)s[1], Out: (int)s[0], Relu: relu);
    }

    private static LayerSpec Conv(string name, Func<string, long[]> shape, int padding, string? norm = null, int stride = 1, bool relu = true)
    {
        var s = shape(name + ".weight");   // (out, in, kh, kw)
        return new LayerSpec("conv2d", name, In: (int)s[1], Out: (int)s[0], Kernel: [(int)s[2], (int)s[3]], Stride: [stride, stride],
            Padding: [padding, padding], Relu: relu, Norm: norm);
    }
}
