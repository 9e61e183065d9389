// The crash tests' fixed point: STEP or STEP:FOLDER-PREFIX, only for a run that
// starts from step 0 (its resumed attempt passes through), anything else refused.
using SparseLab.Foundations;
using SparseLab.Training;

namespace SparseLab.Tests.Training;

public sealed class PausePointTests
{
    [Fact]
    public void Given_the_setting_Then_it_pauses_only_a_fresh_run_in_a_matching_folder()
    {
        Assert.Null(PausePoint.Parse(null));
        Assert.Null(PausePoint.Parse(""));
        var any = PausePoint.Parse("21")!;
        Assert.Equal(new PausePoint(21, null), any);
        Assert.True(any.Applies("/s/runs/dense-seed1-abc", startStep: 0));
        Assert.False(any.Applies("/s/runs/dense-seed1-abc", startStep: 16));   // the resumed attempt finishes
        var dense1 = PausePoint.Parse("20:dense-seed1-")!;
        Assert.True(dense1.Applies("/s/runs/dense-seed1-abc/", 0));
        Assert.False(dense1.Applies("/s/runs/dense-seed10-abc", 0));
    }

    [Theory]
    [InlineData("0")]
    [InlineData("x")]
    [InlineData(":dense")]
    public void Given_a_malformed_setting_Then_it_is_refused_naming_the_variable(string text) =>
        Assert.Contains(PausePoint.Variable, Assert.Throws<SparseLabException>(() => PausePoint.Parse(text)).Message);
}
