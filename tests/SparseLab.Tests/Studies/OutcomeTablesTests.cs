// The study's tables for label noise and for stalled runs, from hand-made rows
// whose answers are known: memorization per arm (dense included) with paired
// gaps to finetune; the stall rule at its edges; stall counts with Fisher's
// exact and the exact McNemar p-values worked by hand.
using SparseLab.Foundations;
using SparseLab.Studies;

namespace SparseLab.Tests.Studies;

public sealed class OutcomeTablesTests
{
    private static StudyRow Noisy(double s, string method, long seed, double test, double clean, double memorized, double generalized) =>
        new(s, method, seed, test, 0.9, 0.5, 0.4, s, $"runs/{method}", 1, TrainAccuracyClean: clean, TrainAccuracyNoisy: memorized,
            MemorizedFraction: memorized, GeneralizedFraction: generalized);

    [Fact]
    public void GivenLabelNoiseRows_WhenTabulated_ThenEveryArmHasItsMeansMediansAndGapsToFinetune()
    {
        StudyRow[] rows =
        [
            Noisy(0, "dense", 1, 0.80, 0.99, 0.90, 0.05), Noisy(0, "dense", 2, 0.82, 0.97, 0.70, 0.20),
            Noisy(0.9, "finetune", 1, 0.78, 0.95, 0.60, 0.30), Noisy(0.9, "finetune", 2, 0.76, 0.93, 0.40, 0.40),
            Noisy(0.9, "scratch", 1, 0.70, 0.90, 0.20, 0.50), Noisy(0.9, "scratch", 2, 0.72, 0.91, 0.10, 0.60),
        ];

        var table = ArmComparison.Memorization(rows)!;

        ArmMetric Get(string method, string metric) => table.Single(x => x.Method == method && x.Metric == metric);
        Assert.Equal(3 * 4, table.Count);                                              // dense, finetune, scratch × 4 metrics at 0.9
        Assert.Equal(0.15, Get("scratch", "memorized_fraction").Value.Mean, 12);
        Assert.Equal(0.15, Get("scratch", "memorized_fraction").Value.Median!.Value, 12);
        Assert.Equal(-0.35, Get("scratch", "memorized_fraction").GapVsFinetune!.Mean, 12);       // (0.2 − 0.6 + 0.1 − 0.4) / 2
        Assert.Equal(0.20, Get("scratch", "generalized_fraction").GapVsFinetune!.Mean, 12);     // (0.5 − 0.3 + 0.6 − 0.4) / 2
        Assert.Equal(0.30, Get("dense", "memorized_fraction").GapVsFinetune!.Mean, 12);         // Sol-D paired with Sol-F of its seed
        Assert.Equal(0.9, Get("dense", "test_accuracy").Sparsity);
        Assert.Equal(0.04, Get("dense", "test_accuracy").GapVsFinetune!.Mean, 12);
        Assert.Null(Get("finetune", "train_accuracy_clean").GapVsFinetune);
        Assert.Equal(2, Get("scratch", "train_accuracy_clean").GapVsFinetune!.N);
        Assert.Null(ArmComparison.Memorization([rows[0] with { TrainAccuracyClean = null, TrainAccuracyNoisy = null, MemorizedFraction = null, GeneralizedFraction = null }]));
    }

    [Theory]
    [InlineData(2.302585, 0.40, true)]     // train loss ln 10
    [InlineData(2.3035, 0.40, true)]       // within 1e-3
    [InlineData(2.3045, 0.40, false)]
    [InlineData(2.5, 0.1000, true)]        // 10.00 % test accuracy: the docs/sweep stalls
    [InlineData(2.5, 0.1049, true)]
    [InlineData(2.5, 0.1051, false)]
    [InlineData(0.3, 0.88, false)]
    public void GivenTenClasses_WhenTheStallRuleReadsARun_ThenLossNearLnCOrAccuracyNearChanceIsAStall(double trainLoss, double testAccuracy, bool stalled) =>
        Assert.Equal(stalled, StallRule.IsStalled(new StudyRow(0.99, "scratch", 1, testAccuracy, 0.5, 2.3, trainLoss, 0.99, "r", 1), 10));

    [Fact]
    public void GivenScratchStalledInFourOfSixAndAnArmInOne_WhenTested_ThenFisherAndMcNemarGiveTheHandValues()
    {
        static StudyRow Run(string method, long seed, bool stalled) => new(0.99, method, seed, stalled ? 0.1 : 0.7, stalled ? 0.1 : 0.7, 2.3, stalled ? 2.302585 : 0.8, 0.99, "r", 1);
        var rows = Enumerable.Range(1, 6).SelectMany(seed => new[]
        {
            new StudyRow(0, "dense", seed, 0.9, 0.95, 0.3, 0.2, 0, "r", 1),
            Run("finetune", seed, false), Run("scratch", seed, seed is 1 or 2 or 4 or 5), Run("curriculum", seed, seed == 5),
        }).ToList();

        var counts = StallTable.Counts(rows, 10);
        var tests = StallTable.Tests(rows, 10);

        var scratch = counts.Single(c => c.Method == "scratch");
        Assert.Equal((4, 6), (scratch.Stalled, scratch.Runs));
        Assert.Equal([1L, 2, 4, 5], scratch.StalledSeeds);
        Assert.Equal(0, counts.Single(c => c.Method == "dense").Stalled);
        var curriculum = tests.Single(t => t.Method == "curriculum" && t.Reference == "scratch");
        // [[1, 5], [4, 2]]: 5 stalled of 12, 6 per arm; P(x) = C(5, x) C(7, 6 − x) / 924 = 7, 105, 350, 350, 105, 7 (/924) for x = 0..5;
        // observed x = 1: (7 + 105 + 105 + 7) / 924 = 8/33.
        Assert.Equal(8.0 / 33, curriculum.FisherP, 1e-12);
        Assert.Equal((6, 0, 3), (curriculum.Pairs, curriculum.OnlyMethod, curriculum.OnlyReference));
        Assert.Equal(0.25, curriculum.McNemarP, 1e-12);         // 3 discordant pairs, all one way: 2 · (½)³
        var finetune = tests.Single(t => t.Method == "finetune" && t.Reference == "scratch");
        Assert.Equal(2.0 / 33, finetune.FisherP, 1e-12);        // [[0, 6], [4, 2]]: C(4, x) C(8, 6 − x) = 28, 224, 420, 224, 28; (28 + 28) / 924
        Assert.Equal(0.125, finetune.McNemarP, 1e-12);          // 4 discordant pairs: 2 · (½)⁴
        Assert.DoesNotContain(tests, t => t.Reference == "lottery");   // no lottery arm in this study
        Assert.DoesNotContain(tests, t => t.Reference == "random-pacing");   // nor the curriculum's control
        Assert.DoesNotContain(tests, t => t.Method == "dense");        // dense is at sparsity 0
    }

    [Fact]
    public void GivenCurriculumAndEarlyArmsWithTheirControls_WhenTested_ThenEachArmIsAlsoComparedWithItsOwnControlOnly()
    {
        static StudyRow Run(string method, long seed, bool stalled) => new(0.99, method, seed, stalled ? 0.1 : 0.7, stalled ? 0.1 : 0.7, 2.3, stalled ? 2.302585 : 0.8, 0.99, "r", 1);
        string[] arms = ["finetune", "scratch", "lottery", "curriculum", "random-pacing", "fisher-early", "random-early"];
        var rows = Enumerable.Range(1, 4).SelectMany(seed => arms.Select(a => Run(a, seed, a != "finetune" && seed <= 2))).ToList();

        var pairs = StallTable.Tests(rows, 10).Select(t => (t.Method, t.Reference)).ToHashSet();

        Assert.Contains(("curriculum", "random-pacing"), pairs);
        Assert.Contains(("fisher-early", "random-early"), pairs);
        Assert.DoesNotContain(("fisher-early", "random-pacing"), pairs);
        Assert.DoesNotContain(("curriculum", "random-early"), pairs);
        Assert.DoesNotContain(("finetune", "random-pacing"), pairs);
        Assert.DoesNotContain(("random-pacing", "random-pacing"), pairs);
        Assert.Contains(("random-pacing", "scratch"), pairs);
        Assert.Contains(("random-early", "lottery"), pairs);
    }

    [Fact]
    public void GivenAStudyJsonWrittenBeforeTheseTables_WhenRead_ThenItDeserializesWithTheNewFieldsNull()
    {
        const string old = """
            { "config": {}, "environment": {}, "paths": [], "regimes": [],
              "rows": [ { "sparsity": 0.9, "method": "scratch", "seed": 1, "test_accuracy": 0.8, "train_accuracy": 0.9, "test_loss": 0.5,
                          "train_loss": 0.3, "measured_sparsity": 0.9, "run": "runs/x", "wall_seconds": 3, "train_accuracy_noisy": 0.4 } ],
              "cells": [ { "sparsity": 0.9, "method": "scratch", "test_accuracy": { "mean": 0.8, "sd": 0, "ci_low": 0.8, "ci_high": 0.8, "n": 1 },
                           "train_accuracy": { "mean": 0.9, "sd": 0, "ci_low": 0.9, "ci_high": 0.9, "n": 1 },
                           "test_loss": { "mean": 0.5, "sd": 0, "ci_low": 0.5, "ci_high": 0.5, "n": 1 },
                           "train_loss": { "mean": 0.3, "sd": 0, "ci_low": 0.3, "ci_high": 0.3, "n": 1 } } ],
              "curvature": [ { "sparsity": 0.9, "method": "scratch", "seed": 1, "top_eigenvalue": 2, "hessian_trace": 30, "jacobian_norm": 1 } ] }
            """;

        var r = Json.Deserialize<GapStudyResult>(old);

        Assert.Null(r.Rows[0].MemorizedFraction);
        Assert.Equal(0.4, r.Rows[0].TrainAccuracyNoisy);
        Assert.Null(r.Cells[0].TestAccuracy.Median);
        Assert.Null(r.Curvature![0].FisherTrace);
        Assert.Null(r.Memorization);
        Assert.Null(r.Stalls);
        Assert.Null(r.StallTests);
        Assert.Null(r.SolutionRatios);
        string again = Json.Serialize(r);                                  // and writes back without the absent fields
        Assert.DoesNotContain("memorized_fraction", again);
    }
}
