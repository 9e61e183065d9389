// CurvatureProbe against references computed another way: the explicit Hessian
// of a 35-parameter float64 MLP (eigen-decomposition, exact trace) and a
// central-difference input Jacobian; plus masking and leaving no trace.
using SparseLab.Data;
using SparseLab.Information;
using SparseLab.Sparsity;
using TorchSharp;
using static TorchSharp.torch;

namespace SparseLab.Tests.Information;

public sealed class CurvatureProbeTests
{
    private static readonly Device Cpu = torch.CPU;

    // Tiny double-backward graphs run fastest (and steadiest on a busy machine) on one thread.
    public CurvatureProbeTests() => SparseLab.Foundations.TorchRuntime.SetThreads(1);

    [Fact]
    public void GivenTinyMlp_WhenMeasured_ThenTopEigenvalueMatchesEigendecompositionOfExplicitHessian()
    {
        using var scope = NewDisposeScope();
        var model = CurvatureTestKit.Model();
        using var data = CurvatureTestKit.Data();
        var (top, gap) = CurvatureTestKit.TopEigenvalue(CurvatureTestKit.Hessian(model, data, 20));
        Assert.True(gap < 0.9, $"eigen-gap too small for power iteration: {gap}");

        var c = CurvatureProbe.Measure(model, data, CurvatureTestKit.Info, null, new CurvatureOptions(Samples: 20, BatchSize: 7, PowerIterations: 60, HutchinsonSamples: 1), Cpu);

        Assert.Equal(20, c.Samples);
        Assert.True(Math.Abs(c.TopEigenvalue - top) <= 1e-3 * Math.Abs(top), $"power iteration {c.TopEigenvalue}, eigh {top}");
    }

    [Fact]
    public void GivenTinyMlp_WhenTraceEstimatedWithManyProbes_ThenWithinHutchinsonNoiseOfExactTrace()
    {
        using var scope = NewDisposeScope();
        var model = CurvatureTestKit.Model();
        using var data = CurvatureTestKit.Data();
        var h = CurvatureTestKit.Hessian(model, data, CurvatureTestKit.Count);
        double trace = h.trace().ToDouble();
        // Var(vᵀHv) = 2 Σ_{i≠j} H_ij² for Rademacher v.
        double offDiagonal = h.pow(2).sum().ToDouble() - h.diag().pow(2).sum().ToDouble();
        const int probes = 2000;
        double sigma = Math.Sqrt(2 * offDiagonal / probes);

        var c = CurvatureProbe.Measure(model, data, CurvatureTestKit.Info, null, new CurvatureOptions(Samples: 100, BatchSize: 24, PowerIterations: 1, HutchinsonSamples: probes), Cpu);

        Assert.Equal(CurvatureTestKit.Count, c.Samples);   // min(Samples, N)
        Assert.True(Math.Abs(c.HessianTrace - trace) <= Math.Max(4 * sigma, 1e-9), $"Hutchinson {c.HessianTrace}, trace {trace}, σ {sigma}");
        Assert.True(Math.Abs(c.HessianTrace - trace) <= 0.05 * Math.Abs(trace), $"Hutchinson {c.HessianTrace}, trace {trace}");
    }

    [Fact]
    public void GivenTinyMlp_WhenMeasured_ThenJacobianNormMatchesFiniteDifferences()
    {
        using var scope = NewDisposeScope();
        var model = CurvatureTestKit.Model();
        using var data = CurvatureTestKit.Data();
        const int n = 10;
        var theta = CurvatureTestKit.Flat(model);
        var x = CurvatureTestKit.Inputs(data, n);                 // (n, 4)
        const double h = 1e-6;
        double sum = 0;
        for (int e = 0; e < n; e++)
        {
            double squares = 0;
            for (int k = 0; k < 4; k++)
            {
                var step = torch.zeros(4, dtype: ScalarType.Float64);
                step[k] = h;
                var xi = x[e].unsqueeze(0);
                var diff = (CurvatureTestKit.Logits(theta, xi + step) - CurvatureTestKit.Logits(theta, xi - step)) / (2 * h);   // (1, 3)
                squares += diff.pow(2).sum().ToDouble();
            }
            sum += Math.Sqrt(squares);
        }
        double reference = sum / n;

        var c = CurvatureProbe.Measure(model, data, CurvatureTestKit.Info, null, new CurvatureOptions(Samples: n, BatchSize: 4, PowerIterations: 1, HutchinsonSamples: 1), Cpu);

        Assert.True(Math.Abs(c.JacobianNorm - reference) <= 1e-3 * reference, $"autograd {c.JacobianNorm}, finite differences {reference}");
    }

    [Fact]
    public void GivenMask_WhenMeasured_ThenTopEigenvalueIsThatOfHessianRestrictedToUnprunedCoordinates()
    {
        using var scope = NewDisposeScope();
        var model = CurvatureTestKit.Model();
        using var data = CurvatureTestKit.Data();
        var keepW1 = torch.tensor(new float[] { 1, 0, 1, 1, 0, 1, 0, 1, 1, 1, 0, 0, 1, 0, 1, 1 }).view(4, 4);
        var keepW2 = torch.tensor(new float[] { 0, 1, 1, 0, 1, 0, 0, 1, 1, 1, 0, 1 }).view(3, 4);
        using var mask = new Mask(new Dictionary<string, Tensor> { ["1.weight"] = keepW1, ["3.weight"] = keepW2 });
        var keep = torch.cat([keepW1.flatten(), torch.ones(4), keepW2.flatten(), torch.ones(3)]).nonzero().flatten();
        var restricted = CurvatureTestKit.Hessian(model, data, 20).index_select(0, keep).index_select(1, keep);
        var (top, _) = CurvatureTestKit.TopEigenvalue(restricted);
        var (dense, _) = CurvatureTestKit.TopEigenvalue(CurvatureTestKit.Hessian(model, data, 20));
        Assert.True(Math.Abs(top - dense) > 1e-2 * Math.Abs(dense), "the mask should change the eigenvalue");

        var c = CurvatureProbe.Measure(model, data, CurvatureTestKit.Info, mask, new CurvatureOptions(Samples: 20, BatchSize: 8, PowerIterations: 60, HutchinsonSamples: 1), Cpu);

        Assert.True(Math.Abs(c.TopEigenvalue - top) <= 1e-3 * Math.Abs(top), $"power iteration {c.TopEigenvalue}, restricted eigh {top}");
    }

    [Fact]
    public void GivenBatchNormModelInTrainMode_WhenMeasured_ThenWeightsBuffersFlagsAndGlobalRngAreUnchanged()
    {
        using var scope = NewDisposeScope();
        torch.manual_seed(4);
        var model = new TinyConvBnNet();
        model.train();
        using var full = SyntheticDataset.Generate("synthetic", train: true);
        using var data = full.Slice(0, 64);
        var before = model.state_dict().ToDictionary(kv => kv.Key, kv => kv.Value.clone());

        torch.manual_seed(99);
        var first = CurvatureProbe.Measure(model, data, DatasetCatalog.Info("synthetic"), null, new CurvatureOptions(Samples: 48, BatchSize: 16, PowerIterations: 3, HutchinsonSamples: 3, Seed: 5), Cpu);
        var drawn = torch.rand(4);
        torch.manual_seed(99);
        var expected = torch.rand(4);

        Assert.True(drawn.eq(expected).all().item<bool>(), "the global torch RNG moved");
        Assert.True(model.training);
        Assert.All(model.modules(), m => Assert.True(m.training));
        foreach (var (name, value) in model.state_dict())
            Assert.True(value.eq(before[name]).all().item<bool>(), $"{name} changed");
        var second = CurvatureProbe.Measure(model, data, DatasetCatalog.Info("synthetic"), null, new CurvatureOptions(Samples: 48, BatchSize: 16, PowerIterations: 3, HutchinsonSamples: 3, Seed: 5), Cpu);
        Assert.Equal(first, second);   // same seed, same numbers
        Assert.True(first.JacobianNorm > 0 && first.TopEigenvalue != 0);
    }

    [Theory]
    [InlineData(0, 20, 20, "samples")]
    [InlineData(8, 0, 20, "power_iterations")]
    [InlineData(8, 20, 0, "hutchinson_samples")]
    public void GivenNonPositiveBudget_WhenMeasured_ThenInvalidOptionNamesTheOption(int samples, int iterations, int probes, string option)
    {
        var model = CurvatureTestKit.Model();
        using var data = CurvatureTestKit.Data();
        var e = Assert.ThrowsAny<SparseLab.Foundations.InvalidOptionException>(() =>
            CurvatureProbe.Measure(model, data, CurvatureTestKit.Info, null, new CurvatureOptions(samples, 8, iterations, probes), Cpu));
        Assert.StartsWith(option, e.Message);
    }
}
