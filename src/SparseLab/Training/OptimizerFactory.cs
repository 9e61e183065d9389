// Builds the optimizer a config names: SGD (momentum, Nesterov, L2 weight
// decay as PyTorch applies it) or Adam (L2 weight decay, not AdamW).
using SparseLab.Foundations;
using TorchSharp;
using TorchSharp.Modules;

namespace SparseLab.Training;

public static class OptimizerFactory
{
    public static NameSet Names { get; } = new("sgd", "adam");

    public static OptimizerHelper Create(OptimizationConfig c, IEnumerable<Parameter> parameters) => c.Optimizer switch
    {
        "sgd" => torch.optim.SGD(parameters, c.Lr, momentum: c.Momentum, nesterov: c.Nesterov, weight_decay: c.WeightDecay),
        "adam" => torch.optim.Adam(parameters, c.Lr, beta1: c.Beta1, beta2: c.Beta2, weight_decay: c.WeightDecay),
        _ => throw ConfigError.Of(nameof(c.Optimizer), $"'{c.Optimizer}' is not known; use one of: {Names.Describe()}"),
    };

    public static void SetLearningRate(OptimizerHelper optimizer, double lr)
    {
        foreach (var group in optimizer.ParamGroups) group.LearningRate = lr;
    }
}
