// The one-backward per-example squared gradient norms (METHODS §6) against the naive loop (one backward per
// example) on every registry model, with and without a mask, and the Linear formula against a hand computation.
using SparseLab.Information;
using SparseLab.Models;
using SparseLab.Sparsity;
using TorchSharp;
using static TorchSharp.torch;

namespace SparseLab.Tests.Information.Fisher;

public sealed class PerExampleGradientsTests
{
    public static TheoryData<string, bool> Models()
    {
        var data = new TheoryData<string, bool>();
        foreach (var name in ModelRegistry.Classifiers)
        {
            data.Add(name, false);
            data.Add(name, true);
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Models))]
    public void GivenARegistryModel_WhenFastAndNaiveMeasure_ThenEveryLayerAndExampleAgreeTo1e4(string name, bool masked)
    {
        using var scope = torch.NewDisposeScope();
        var model = Model(name);
        using var mask = masked ? FisherTestKit.RandomMask(model) : null;
        var x = FisherTestKit.Input(name, 3);
        var y = torch.tensor(new long[] { 1, 4, 9 });

        var fast = PerExampleGradients.Fast(model, x, y, mask);
        var naive = PerExampleGradients.Naive(model, x, y, mask);

        Assert.Equal(naive.Keys.Order(), fast.Keys.Order());
        double largest = naive.Values.Max(v => FisherTestKit.Values(v).Max());
        foreach (var (layer, expected) in naive)
        {
            var e = FisherTestKit.Values(expected);
            var f = FisherTestKit.Values(fast[layer]);
            Assert.Equal(3, f.Length);
            for (int n = 0; n < 3; n++)
                Assert.True(Math.Abs(f[n] - e[n]) <= 1e-4 * e[n] + 1e-9 * largest,
                    $"{name} masked={masked} layer '{layer}' example {n}: fast {f[n]:R}, naive {e[n]:R}");
        }
        Assert.All(model.parameters(), p => Assert.Null(p.grad));
    }

    private static nn.Module<Tensor, Tensor> Model(string name) => FisherTestKit.Model(name);

    [Fact]
    public void GivenAMaskedMlpBatch_WhenFastMeasures_ThenTheClosedFormMatchesNaive()
    {
        // One token per example: ‖(g aᵀ) ⊙ M‖² = (g²)ᵀ M (a²), one product for the batch (no per-example gradients).
        using var scope = torch.NewDisposeScope();
        var model = Model("mlp");
        using var mask = FisherTestKit.RandomMask(model);
        var x = FisherTestKit.Input("mlp", 150);
        var y = torch.arange(150, dtype: ScalarType.Int64).remainder(10);

        var fast = FisherTestKit.Values(PerExampleGradients.Fast(model, x, y, mask)["fc1"]);
        var naive = FisherTestKit.Values(PerExampleGradients.Naive(model, x, y, mask)["fc1"]);

        for (int n = 0; n < 150; n++)
            Assert.True(Math.Abs(fast[n] - naive[n]) <= 1e-4 * naive[n] + 1e-12, $"example {n}: fast {fast[n]:R}, naive {naive[n]:R}");
    }

    [Fact]
    public void GivenAMaskedLinearOverTokensInMoreThanOneChunk_WhenFastMeasures_ThenItMatchesNaive()
    {
        // Two tokens per example: ∇W_n = Σ_t g_t a_tᵀ is formed explicitly, 2048·2048 floats per example, so 10
        // examples need two chunks of 2²⁵ floats.
        using var scope = torch.NewDisposeScope();
        torch.manual_seed(5);
        var model = nn.Sequential(("proj", nn.Linear(2048, 2048)), ("flat", nn.Flatten()), ("head", nn.Linear(2 * 2048, 10)));
        using var mask = FisherTestKit.RandomMask(model);
        var x = torch.randn(10, 2, 2048);
        var y = torch.arange(10, dtype: ScalarType.Int64);

        var fast = FisherTestKit.Values(PerExampleGradients.Fast(model, x, y, mask)["proj"]);
        var naive = FisherTestKit.Values(PerExampleGradients.Naive(model, x, y, mask)["proj"]);

        for (int n = 0; n < 10; n++)
            Assert.True(Math.Abs(fast[n] - naive[n]) <= 1e-4 * naive[n] + 1e-12, $"example {n}: fast {fast[n]:R}, naive {naive[n]:R}");
    }

    [Fact]
    public void GivenATwoLayerNet_WhenFastMeasures_ThenTheLinearFormulaMatchesAHandComputation()
    {
        using var scope = torch.NewDisposeScope();
        torch.manual_seed(11);
        var model = nn.Sequential(("fc1", nn.Linear(3, 4)), ("relu", nn.ReLU()), ("fc2", nn.Linear(4, 2)));
        var x = torch.randn(2, 3);
        var y = torch.tensor(new long[] { 0, 1 });

        var fast = PerExampleGradients.Fast(model, x, y, null);

        double[,] w1 = Matrix(model.get_parameter("fc1.weight")!), w2 = Matrix(model.get_parameter("fc2.weight")!);
        double[] b1 = FisherTestKit.Values(model.get_parameter("fc1.bias")!), b2 = FisherTestKit.Values(model.get_parameter("fc2.bias")!);
        var xs = Matrix(x);
        for (int n = 0; n < 2; n++)
        {
            var a0 = new double[3];
            for (int i = 0; i < 3; i++) a0[i] = xs[n, i];
            var z1 = Affine(w1, b1, a0);
            var h = z1.Select(v => Math.Max(v, 0)).ToArray();
            var z2 = Affine(w2, b2, h);
            double m = z2.Max(), s = z2.Sum(v => Math.Exp(v - m));
            var g2 = z2.Select((v, c) => Math.Exp(v - m) / s - (c == (n == 0 ? 0 : 1) ? 1 : 0)).ToArray();   // ∂ℓ/∂z2
            var g1 = new double[4];
            for (int j = 0; j < 4; j++)
                for (int c = 0; c < 2; c++) g1[j] += w2[c, j] * g2[c] * (z1[j] > 0 ? 1 : 0);
            Assert.Equal(Outer(g2, h), FisherTestKit.Values(fast["fc2"])[n], 5);
            Assert.Equal(Outer(g1, a0), FisherTestKit.Values(fast["fc1"])[n], 5);
        }
    }

    // Σ_{c,j} (g_c a_j)² + Σ_c g_c²: the explicit outer product, weight then bias.
    private static double Outer(double[] g, double[] a)
    {
        double sum = 0;
        foreach (var gc in g)
        {
            foreach (var aj in a) sum += gc * aj * gc * aj;
            sum += gc * gc;
        }
        return sum;
    }

    private static double[] Affine(double[,] w, double[] b, double[] a)
    {
        var z = (double[])b.Clone();
        for (int r = 0; r < z.Length; r++)
            for (int c = 0; c < a.Length; c++) z[r] += w[r, c] * a[c];
        return z;
    }

    private static double[,] Matrix(Tensor t)
    {
        var v = FisherTestKit.Values(t);
        int rows = (int)t.shape[0], cols = (int)t.shape[1];
        var m = new double[rows, cols];
        for (int r = 0; r < rows; r++)
            for (int c = 0; c < cols; c++) m[r, c] = v[r * cols + c];
        return m;
    }
}
