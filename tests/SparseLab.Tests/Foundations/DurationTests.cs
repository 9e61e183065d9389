// Durations: what users write for milestones, warm-up, mask windows, pacing and
// rewind points, resolved to steps against a hand-worked run (10 steps per
// epoch, 200 steps), and their hashed form.
using SparseLab.Foundations;

namespace SparseLab.Tests.Foundations;

public sealed class DurationTests
{
    [Theory]
    [InlineData("80ep", DurationUnit.Steps, 80, DurationUnit.Epochs)]
    [InlineData("1.5ep", DurationUnit.Steps, 1.5, DurationUnit.Epochs)]
    [InlineData("500it", DurationUnit.Epochs, 500, DurationUnit.Steps)]
    [InlineData("0.5", DurationUnit.Epochs, 0.5, DurationUnit.Fraction)]
    [InlineData("80", DurationUnit.Epochs, 80, DurationUnit.Epochs)]
    [InlineData("100", DurationUnit.Steps, 100, DurationUnit.Steps)]
    [InlineData("2", DurationUnit.Fraction, 2, DurationUnit.Fraction)]
    [InlineData(" 3ep ", DurationUnit.Steps, 3, DurationUnit.Epochs)]
    public void Given_text_Then_it_parses_in_its_unit(string text, DurationUnit natural, double value, DurationUnit unit)
    {
        Assert.True(Duration.TryParse(text, natural, out var d, out _));
        Assert.Equal(new Duration(value, unit), d);
    }

    [Theory]
    [InlineData("1.5", "neither a whole number of epochs")]
    [InlineData("-1", "is not a duration")]
    [InlineData("ep", "is not a duration")]
    [InlineData("1.5it", "is not a duration")]
    [InlineData("inf", "is not a duration")]
    public void Given_bad_text_Then_the_problem_says_how_to_write_it(string text, string problem)
    {
        Assert.False(Duration.TryParse(text, DurationUnit.Epochs, out _, out string why));
        Assert.Contains(problem, why);
    }

    [Fact]
    public void Given_a_run_of_200_steps_with_10_per_epoch_Then_each_unit_resolves_by_hand()
    {
        Assert.Equal(30, Duration.Epochs(3).ToSteps(10, 200));
        Assert.Equal(15, Duration.Epochs(1.5).ToSteps(10, 200));
        Assert.Equal(7, Duration.Steps(7).ToSteps(10, 200));
        Assert.Equal(150, Duration.Fraction(0.75).ToSteps(10, 200));
        Assert.Equal(0.75, Duration.Fraction(0.75).ToFraction(10, 200));   // a fraction exactly as given, not rounded through steps
        Assert.Equal(0.15, Duration.Epochs(3).ToFraction(10, 200), 12);
    }

    [Fact]
    public void Given_a_duration_Then_it_prints_as_written_and_hashes_bare_in_its_own_unit()
    {
        Assert.Equal("80ep", Duration.Epochs(80).ToString());
        Assert.Equal("500it", Duration.Steps(500).ToString());
        Assert.Equal("0.5", Duration.Fraction(0.5).ToString());
        Assert.Equal("0", Duration.Steps(0).ToString());
        Assert.Equal("80", Duration.Epochs(80).Canonical(DurationUnit.Epochs));
        Assert.Equal("80ep", Duration.Epochs(80).Canonical(DurationUnit.Steps));
        Assert.Equal("0.5frac", Duration.Fraction(0.5).Canonical(DurationUnit.Epochs));
        Assert.Equal("0", Duration.Epochs(0).Canonical(DurationUnit.Steps));
    }

    [Fact]
    public void Given_fraction_milestones_When_finetuning_for_fewer_epochs_Then_they_still_fall_inside_the_run()
    {
        var o = new SparseLab.Training.OptimizationConfig
        {
            Epochs = 40, Lr = 0.1, LrSchedule = "step", Milestones = [Duration.Fraction(0.5), Duration.Fraction(0.75)],
        };
        var schedule = SparseLab.Training.LearningRateSchedule.From(o, totalSteps: 40 * 391, stepsPerEpoch: 391);
        Assert.Equal([20 * 391, 30 * 391], schedule.MilestoneSteps);
        Assert.Equal(0.001, schedule.At(40 * 391 - 1), 12);   // decayed twice by the end
    }
}
