using SparseLab.Foundations;
using SparseLab.Training;

namespace SparseLab.Tests.Training;

public sealed class LearningRateScheduleTests
{
    private static LearningRateSchedule Make(string kind, double warmup = 0, int[]? milestones = null) =>
        LearningRateSchedule.From(new OptimizationConfig
        {
            LrSchedule = kind, Lr = 0.1, Gamma = 0.1, Warmup = Duration.Epochs(warmup),
            Milestones = [.. (milestones ?? []).Select(m => Duration.Epochs(m))],
        }, totalSteps: 100, stepsPerEpoch: 10);

    [Fact]
    public void Constant_is_the_base_rate_everywhere()
    {
        var s = Make("constant");
        Assert.All(new long[] { 0, 50, 99 }, t => Assert.Equal(0.1, s.At(t), 12));
    }

    [Fact]
    public void Step_multiplies_by_gamma_at_each_milestone_epoch()
    {
        var s = Make("step", milestones: [5, 8]);
        Assert.Equal(0.1, s.At(49), 12);     // epoch 4's last step
        Assert.Equal(0.01, s.At(50), 12);    // first step of epoch 5 (0-based)
        Assert.Equal(0.001, s.At(80), 12);
    }

    [Fact]
    public void Cosine_follows_half_a_cosine_from_the_base_rate_to_zero()
    {
        var s = Make("cosine");
        Assert.Equal(0.1, s.At(0), 12);
        Assert.Equal(0.05, s.At(50), 12);                                     // cos(pi/2) = 0
        Assert.Equal(0.05 * (1 + Math.Cos(Math.PI * 0.25)), s.At(25), 12);
    }

    [Fact]
    public void Warmup_rises_linearly_then_hands_over_to_the_schedule()
    {
        var s = Make("cosine", warmup: 1);                                    // 10 warm-up steps
        Assert.Equal(0.01, s.At(0), 12);
        Assert.Equal(0.05, s.At(4), 12);
        Assert.Equal(0.1, s.At(9), 12);
        Assert.Equal(0.1, s.At(10), 12);                                      // cosine starts after warm-up
        Assert.Equal(0.05, s.At(10 + 45), 12);                                // half of the remaining 90 steps
    }
}
