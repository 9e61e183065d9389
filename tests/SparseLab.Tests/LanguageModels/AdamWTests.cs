// AdamW as OptimizerFactory builds it: one step against the update of
// Loshchilov & Hutter 2019, Algorithm 2 (decoupled decay θ ← θ − lr·λ·θ beside
// the Adam step), computed by hand; decay on matrices, none on vectors.
using SparseLab.Training;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace SparseLab.Tests.LanguageModels;

public sealed class AdamWTests
{
    [Fact]
    public void GivenAMatrixAndABias_WhenAdamWSteps_ThenTheMatrixDecaysDecoupledAndTheBiasDoesNot()
    {
        var config = new OptimizationConfig { Optimizer = "adamw", Lr = 0.1, WeightDecay = 0.5, Beta1 = 0.9, Beta2 = 0.99 };
        var w = new Parameter(torch.tensor(new float[] { 1f, -2f, 3f, 0.5f }, [2, 2]));
        var b = new Parameter(torch.tensor(new float[] { 2f, -1f }));
        using var optimizer = OptimizerFactory.Create(config, [w, b]);
        w.grad = torch.tensor(new float[] { 0.2f, -0.4f, 0.1f, 0f }, [2, 2]);
        b.grad = torch.tensor(new float[] { 0.3f, 0.3f });
        optimizer.step();

        // Step 1: m̂ = g, v̂ = g², so the Adam step is lr·g/(|g| + ε); then decoupled decay lr·λ·θ on the matrix only.
        static double Expected(double theta, double g, double decay) =>
            theta * (1 - 0.1 * decay) - 0.1 * g / (Math.Abs(g) + 1e-8);
        double[] w0 = [1, -2, 3, 0.5], gw = [0.2, -0.4, 0.1, 0], b0 = [2, -1], gb = [0.3, 0.3];
        var wAfter = w.data<float>().ToArray();
        var bAfter = b.data<float>().ToArray();
        for (int i = 0; i < 4; i++) Assert.Equal(Expected(w0[i], gw[i], 0.5), wAfter[i], 5);
        for (int i = 0; i < 2; i++) Assert.Equal(Expected(b0[i], gb[i], 0), bAfter[i], 5);
    }
}
