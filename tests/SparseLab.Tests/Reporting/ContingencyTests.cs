// Fisher's exact test and the exact McNemar test against textbook tables and
// exact values: the p-values below were computed offline as exact fractions
// (python3, math.comb and fractions.Fraction; scipy is not installed here), two
// of them are the textbook's own (Fisher's tea-tasting table, 17/35; the
// dieting example of Wikipedia's "Fisher's exact test" page, 0.002759).
using SparseLab.Reporting;

namespace SparseLab.Tests.Reporting;

public sealed class ContingencyTests
{
    [Theory]
    [InlineData(3, 1, 1, 3, 17.0 / 35)]                  // Fisher (1935), the lady tasting tea
    [InlineData(1, 9, 11, 3, 41.0 / 14858)]              // 0.0027594…
    [InlineData(4, 2, 0, 6, 2.0 / 33)]                   // 4 of 6 stalled against 0 of 6
    [InlineData(0, 6, 4, 2, 2.0 / 33)]                   // the same, rows swapped
    [InlineData(6, 0, 0, 6, 1.0 / 462)]                  // all against none: 2 / C(12, 6)
    [InlineData(2, 4, 4, 2, 131.0 / 231)]
    [InlineData(0, 3, 0, 3, 1.0)]                        // no one stalled: nothing to tell apart
    [InlineData(5, 0, 1, 4, 1.0 / 21)]
    [InlineData(7, 12, 0, 5, 413.0 / 1518)]
    [InlineData(10, 20, 30, 40, 0.5044757698516282)]
    public void GivenA2x2Table_WhenFishersExactTestRuns_ThenTheTwoSidedPIsTheExactValue(int a, int b, int c, int d, double expected) =>
        Assert.Equal(expected, Contingency.FisherExact(a, b, c, d), 1e-12);

    [Fact]
    public void GivenTheTeaTable_WhenTheHypergeometricSumIsDoneByHand_ThenItMatches()
    {
        // Margins 4/4, 4/4 out of 8: P(x) = C(4, x) C(4, 4 − x) / C(8, 4) = 1, 16, 36, 16, 1 (/70). Observed x = 3 (P = 16/70);
        // tables as or less likely: x = 0, 1, 3, 4 → (1 + 16 + 16 + 1) / 70.
        Assert.Equal(34.0 / 70, Contingency.FisherExact(3, 1, 1, 3), 1e-12);
    }

    [Theory]
    [InlineData(3, 0, 0.25)]              // the README's 3 discordant pairs: 2 · (½)³
    [InlineData(0, 0, 1.0)]               // no discordant pair
    [InlineData(1, 1, 1.0)]
    [InlineData(5, 1, 7.0 / 32)]          // 2 · (1 + 6) / 64
    [InlineData(0, 8, 1.0 / 128)]         // 2 · (½)⁸
    [InlineData(2, 7, 23.0 / 128)]        // 2 · (1 + 9 + 36) / 512
    public void GivenDiscordantPairs_WhenTheExactMcNemarTestRuns_ThenTheTwoSidedBinomialPMatches(int b, int c, double expected) =>
        Assert.Equal(expected, Contingency.McNemarExact(b, c), 1e-12);

    [Fact]
    public void GivenANegativeCount_ThenBothTestsRefuseIt()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => Contingency.FisherExact(1, -1, 0, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => Contingency.McNemarExact(-1, 0));
    }
}
