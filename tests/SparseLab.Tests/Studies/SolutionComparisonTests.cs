// The solutions compared (Ye et al. 2022, Table 2) from hand-made probe rows:
// ratios against Sol-F paired by seed, Sol-D's sparsity-0 row against every
// sparsity, seeds with a non-positive value left out and counted; and a probe
// row of the older format (curvature only) still reads.
using SparseLab.Foundations;
using SparseLab.Studies;

namespace SparseLab.Tests.Studies;

public sealed class SolutionComparisonTests
{
    private static CurvatureRow Row(double s, string method, long seed, double fisher, double hessian) =>
        new(s, method, seed, TopEigenvalue: 1, HessianTrace: hessian, JacobianNorm: 2, FisherTrace: fisher, PredictionEntropy: 0.5, Samples: 64, FisherDraws: 1);

    [Fact]
    public void GivenScratchLotteryAndDenseRows_WhenCompared_ThenEachIsPairedBySeedWithFinetune()
    {
        CurvatureRow[] rows =
        [
            Row(0, "dense", 1, 1, 1), Row(0, "dense", 2, 2, 1),
            Row(0.9, "finetune", 1, 2, 4), Row(0.9, "finetune", 2, 4, -1),
            Row(0.9, "scratch", 1, 4, 8), Row(0.9, "scratch", 2, 16, 2),
            Row(0.9, "lottery", 1, 2, 4),
        ];

        var ratios = SolutionComparison.Build(rows);

        var fisher = ratios.Single(x => x.Method == "scratch" && x.Metric == "fisher_trace");
        Assert.Equal(Math.Sqrt(2 * 4), fisher.Ratio.Ratio, 1e-12);                  // per seed 4/2 and 16/4: geometric mean √8
        Assert.Equal(2, fisher.Ratio.N);
        Assert.Equal("finetune", fisher.Reference);
        var hessian = ratios.Single(x => x.Method == "scratch" && x.Metric == "hessian_trace");
        Assert.Equal(2.0, hessian.Ratio.Ratio, 1e-12);                                // seed 2's finetune trace is negative: only seed 1
        Assert.Equal(1, hessian.Excluded);
        Assert.Null(hessian.Ratio.CiLow);
        Assert.Equal(1.0, ratios.Single(x => x.Method == "lottery" && x.Metric == "fisher_trace").Ratio.Ratio, 1e-12);
        Assert.Equal(0.5, ratios.Single(x => x.Method == "dense" && x.Metric == "fisher_trace").Ratio.Ratio, 1e-12);   // 1/2 and 2/4
        Assert.Equal(0.9, ratios.Single(x => x.Method == "dense" && x.Metric == "fisher_trace").Sparsity);
        Assert.Equal(["dense", "scratch", "lottery"], ratios.Select(x => x.Method).Distinct());
        Assert.Equal(5, ratios.Count(x => x.Method == "lottery"));
    }

    [Fact]
    public void GivenAProbeFileOfTheOlderFormat_WhenRead_ThenTheNewMeasuresAreNull()
    {
        const string old = """{ "sparsity": 0.9, "method": "scratch", "seed": 2, "top_eigenvalue": 3.5, "hessian_trace": 40.25, "jacobian_norm": 1.5 }""";

        var row = Json.Deserialize<CurvatureRow>(old);

        Assert.Equal(40.25, row.HessianTrace);
        Assert.Null(row.FisherTrace);
        Assert.Null(row.PredictionEntropy);
        Assert.Null(row.Samples);
        Assert.Null(row.FisherDraws);
        Assert.DoesNotContain(SolutionComparison.Build([row, row with { Method = "finetune" }]), x => x.Metric == "fisher_trace");
    }
}
