// Input shape and class count of each known dataset, without reading its files
// (for inspecting models and benchmarking on random data).
using SparseLab.Foundations;

namespace SparseLab.Data;

public sealed record InputShape(int Channels, int Height, int Width, int NumClasses);

public static class DatasetShapes
{
    public static InputShape Of(string dataset) => dataset switch
    {
        "fashion-mnist" or "mnist" or "synthetic" => new(1, 28, 28, 10),
        "cifar10" => new(3, 32, 32, 10),
        "cifar100" => new(3, 32, 32, 100),
        _ => throw ConfigError.Of(nameof(DataConfig.Dataset), $"'{dataset}' is not known; use one of: {DatasetCatalog.Names.Describe()}"),
    };
}
