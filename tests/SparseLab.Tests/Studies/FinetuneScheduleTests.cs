// The finetune recipe is named: rewind (the default, left out of the study's
// canonical string) or low-lr (a fraction of the dense peak rate).
using SparseLab.Cli.Commands;
using SparseLab.Foundations;
using SparseLab.Studies;

namespace SparseLab.Tests.Studies;

public sealed class FinetuneScheduleTests
{
    [Fact]
    public void Given_low_lr_Then_finetuning_starts_at_the_fraction_of_the_dense_peak_and_the_study_says_so()
    {
        var study = new StudyGapCommand().Parse("--lr", "0.1", "--finetune-schedule", "low-lr", "--finetune-lr-fraction", "0.2").Value.Study;
        study.Validate();
        Assert.Equal(0.02, study.EffectiveFinetuneLr, 12);
        Assert.Contains(";FinetuneLrFraction=0.2;", study.Canonical());
        Assert.Contains(";FinetuneSchedule=low-lr", study.Canonical());
    }

    [Fact]
    public void Given_the_default_Then_finetuning_rewinds_to_the_dense_peak()
    {
        var study = new StudyGapCommand().Parse("--lr", "0.1").Value.Study;
        Assert.Equal(FinetuneSchedules.Rewind, study.FinetuneSchedule);
        Assert.Equal(0.1, study.EffectiveFinetuneLr);
        Assert.DoesNotContain("FinetuneSchedule", study.Canonical());
    }

    [Fact]
    public void Given_a_fraction_without_low_lr_Then_it_is_refused()
    {
        var study = new StudyGapCommand().Parse("--finetune-lr-fraction", "0.2").Value.Study;
        Assert.Contains("applies only to", Assert.Throws<ConfigError>(study.Validate).Message);
    }
}
