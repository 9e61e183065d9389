// Pins the Erdős–Rényi-Kernel densities (Evci et al. 2020, RigL) against two
// hand-worked examples, one with layers saturating at density 1 so ε is solved
// again, and a conv layer whose kernel dims enter Σ dims / Π dims.
using SparseLab.Foundations;
using SparseLab.Sparsity;

namespace SparseLab.Tests.Sparsity;

public sealed class ErkDensitiesTests
{
    // Linear layers (out, in): n = 50, 200, 100 (N = 350), factor r = Σ dims / Π dims = 15/50 = 0.3, 30/200 = 0.15, 25/100 = 0.25.
    internal static readonly IReadOnlyList<(string Name, long[] Shape)> ThreeLinear =
    [
        ("l1.weight", [10, 5]),
        ("l2.weight", [20, 10]),
        ("l3.weight", [5, 20]),
    ];

    [Fact]
    public void GivenThreeLinearLayersAtSparsityHalf_WhenComputingErk_ThenDensitiesMatchTheHandSolvedEpsilon()
    {
        // Σ r·n = 0.3·50 + 0.15·200 + 0.25·100 = 15 + 30 + 25 = 70; keep (1 − 0.5)·350 = 175
        // ε = 175 / 70 = 2.5 → d = 0.75, 0.375, 0.625 (all ≤ 1); check 37.5 + 75 + 62.5 = 175.
        var d = ErkDensities.Compute(ThreeLinear, 0.5);

        Assert.Equal(0.75, d["l1.weight"], 12);
        Assert.Equal(0.375, d["l2.weight"], 12);
        Assert.Equal(0.625, d["l3.weight"], 12);
    }

    [Fact]
    public void GivenALowSparsity_WhenLayersWouldExceedDensityOne_ThenTheyBecomeDenseAndEpsilonIsSolvedAgain()
    {
        // s = 0.2: keep 280. Round 1: ε = 280/70 = 4 → d = 1.2, 0.6, 1.0; l1 exceeds 1 → dense.
        // Round 2: keep 280 − 50 = 230 over Σ r·n = 30 + 25 = 55 → ε = 4.1818 → d2 = 0.627, d3 = 1.045 > 1 → l3 dense.
        // Round 3: keep 230 − 100 = 130 over 30 → ε = 4.3333 → d2 = 0.65. Check 50 + 0.65·200 + 100 = 280.
        var d = ErkDensities.Compute(ThreeLinear, 0.2);

        Assert.Equal(1.0, d["l1.weight"], 12);
        Assert.Equal(0.65, d["l2.weight"], 12);
        Assert.Equal(1.0, d["l3.weight"], 12);
    }

    [Fact]
    public void GivenAConvAndALinearLayer_WhenComputingErk_ThenKernelDimsCountInTheFactor()
    {
        // conv (8, 4, 3, 3): n = 288, r = 18/288 = 0.0625; linear (10, 8): n = 80, r = 18/80 = 0.225.
        // s = 0.75: keep 0.25·368 = 92; Σ r·n = 18 + 18 = 36 → ε = 92/36 → d = 0.159722…, 0.575.
        var d = ErkDensities.Compute([("conv.weight", [8, 4, 3, 3]), ("fc.weight", [10, 8])], 0.75);

        Assert.Equal(0.0625 * 92 / 36, d["conv.weight"], 12);
        Assert.Equal(0.575, d["fc.weight"], 12);
    }

    [Fact]
    public void GivenAFixedLayer_WhenComputingErk_ThenItKeepsItsDensityAndEpsilonIsSolvedOverTheOthers()
    {
        // l2 ("l2" names l2.weight) fixed at sparsity 0.9 keeps 20; s = 0.6 keeps 0.4·350 = 140, so l1 and l3
        // share 120 with Σ r·n = 15 + 25 = 40 → ε = 3 → d1 = 0.9, d3 = 0.75; check 45 + 20 + 75 = 140.
        var d = ErkDensities.Compute(ThreeLinear, 0.6, new Dictionary<string, double> { ["l2"] = 0.9 });

        Assert.Equal(0.9, d["l1.weight"], 12);
        Assert.Equal(0.1, d["l2.weight"], 12);
        Assert.Equal(0.75, d["l3.weight"], 12);
    }

    [Fact]
    public void GivenSparsityZero_WhenComputingErk_ThenEveryLayerIsDense()
    {
        var d = ErkDensities.Compute(ThreeLinear, 0.0);

        Assert.All(d.Values, v => Assert.Equal(1.0, v, 12));
    }

    [Fact]
    public void GivenAFixedLayerTooSparseForTheTarget_WhenComputingErk_ThenItRefusesAndSaysWhy()
    {
        // l2 fixed at 0.9 keeps 20; even with l1 and l3 dense the total is 50 + 20 + 100 = 170 < 175 needed at s = 0.5.
        var e = Assert.ThrowsAny<InvalidOptionException>(
            () => ErkDensities.Compute(ThreeLinear, 0.5, new Dictionary<string, double> { ["l2.weight"] = 0.9 }));

        Assert.Contains("layer_sparsity", e.Message);
        Assert.Contains("impossible", e.Message);
    }
}
