// Builds the optimizer a config names: SGD (momentum, Nesterov, L2 weight
// decay as PyTorch applies it), Adam (L2 weight decay) or AdamW (decoupled
// weight decay, Loshchilov & Hutter 2019, Algorithm 2) on the parameters of two
// or more dimensions only — weight matrices, convolution kernels, embeddings —
// and none on biases and LayerNorm/BatchNorm scales, as GPT-2/nanoGPT train.
using SparseLab.Foundations;
using TorchSharp;
using TorchSharp.Modules;

namespace SparseLab.Training;

public static class OptimizerFactory
{
    public static NameSet Names { get; } = new("sgd", "adam", "adamw");

    /// <param name="allDecay">AdamW: decay every parameter (the compact values of sparse weight matrices, which are 1-D).</param>
    public static OptimizerHelper Create(OptimizationConfig c, IEnumerable<Parameter> parameters, bool allDecay = false) => c.Optimizer switch
    {
        "sgd" => torch.optim.SGD(parameters, c.Lr, momentum: c.Momentum, nesterov: c.Nesterov, weight_decay: c.WeightDecay),
        "adam" => torch.optim.Adam(parameters, c.Lr, beta1: c.Beta1, beta2: c.Beta2, weight_decay: c.WeightDecay),
        "adamw" => AdamW(c, [.. parameters], allDecay),
        _ => throw ConfigError.Of(nameof(c.Optimizer), $"'{c.Optimizer}' is not known; use one of: {Names.Describe()}"),
    };

    private static OptimizerHelper AdamW(OptimizationConfig c, List<Parameter> parameters, bool allDecay)
    {
        var decayed = parameters.Where(p => allDecay || p.dim() >= 2).ToList();
        var plain = parameters.Where(p => !allDecay && p.dim() < 2).ToList();
        var groups = new List<AdamW.ParamGroup> { new(decayed, new AdamW.Options { weight_decay = c.WeightDecay }) };
        if (plain.Count > 0) groups.Add(new(plain, new AdamW.Options { weight_decay = 0 }));
        return torch.optim.AdamW(groups, c.Lr, beta1: c.Beta1, beta2: c.Beta2, weight_decay: c.WeightDecay);
    }

    public static void SetLearningRate(OptimizerHelper optimizer, double lr)
    {
        foreach (var group in optimizer.ParamGroups) group.LearningRate = lr;
    }
}
