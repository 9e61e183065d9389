// The curriculum verdict compares every arm with its random-pacing control (the same pacing, a random
// order), paired by seed, and says in words which arm is better beyond the noise.
using SparseLab.Reporting;
using SparseLab.Studies;

namespace SparseLab.Tests.Reporting;

public sealed class CurriculumNarrativeTests
{
    private static StudyRow Row(string method, long seed, double test) => new(0.99, method, seed, test, test, 0, 0, 0.99, "", 0);

    private static GapStudyResult Result(double[] curriculum, double[] random)
    {
        var rows = new List<StudyRow>();
        for (int i = 0; i < curriculum.Length; i++)
        {
            rows.Add(Row("curriculum", i + 1, curriculum[i]));
            rows.Add(Row("random-pacing", i + 1, random[i]));
        }
        var e = Statistics.Paired([0.72, 0.73, 0.74], [0.70, 0.70, 0.71]);
        GapClosed Arm(string arm) => new(0.99, arm, new RatioEstimate(0.5, 0.1, 0.9, 3), e, e, 1, 1);
        return new(new Dictionary<string, object?>(), new Dictionary<string, object?>(), rows, [], [],
            [new StudyRegime(0.99, "optimization", 0.01, e, e)], GapClosed: [Arm("curriculum"), Arm("random-pacing")]);
    }

    [Fact]
    public void Given_a_curriculum_above_its_random_pacing_control_in_every_seed_Then_the_verdict_names_it()
    {
        double[] curriculum = [0.75, 0.76, 0.78], random = [0.73, 0.745, 0.76];
        var text = CurriculumNarrative.Describe(Result(curriculum, random));
        var d = Statistics.Paired(curriculum, random);
        Assert.Contains($"against random-pacing {ReportFormat.GapEstimate(d)} points", text.Single(l => l.StartsWith("At sparsity 0.99")));
        Assert.Equal("Against random-pacing (the same pacing, a random order), better beyond the noise: curriculum at 0.99.", text[^1]);
    }

    [Fact]
    public void Given_a_curriculum_within_the_noise_of_its_control_Then_the_verdict_says_the_pacing_explains_it()
    {
        var text = CurriculumNarrative.Describe(Result([0.75, 0.74, 0.78], [0.74, 0.76, 0.77]));
        Assert.StartsWith("Against random-pacing (the same pacing, a random order) no arm was better beyond the noise", text[^1]);
    }

    [Fact]
    public void Given_early_phase_arms_Then_each_is_compared_with_random_early_and_the_early_claim_and_heading_are_used()
    {
        double[] fisher = [0.75, 0.76, 0.78], random = [0.73, 0.745, 0.76];
        var rows = new List<StudyRow>();
        for (int i = 0; i < 3; i++)
        {
            rows.Add(Row("fisher-early", i + 1, fisher[i]));
            rows.Add(Row("random-early", i + 1, random[i]));
        }
        var e = Statistics.Paired([0.72, 0.73, 0.74], [0.70, 0.70, 0.71]);
        GapClosed Arm(string arm) => new(0.99, arm, new RatioEstimate(0.5, 0.1, 0.9, 3), e, e, 1, 1);
        var result = new GapStudyResult(new Dictionary<string, object?>(), new Dictionary<string, object?>(), rows, [], [],
            [new StudyRegime(0.99, "optimization", 0.01, e, e)], GapClosed: [Arm("fisher-early"), Arm("random-early")]);

        var text = CurriculumNarrative.Describe(result);
        Assert.Equal(CurriculumNarrative.EarlyClaim, text[0]);
        Assert.DoesNotContain(CurriculumNarrative.Claim, text);
        Assert.Contains($"against random-early {ReportFormat.GapEstimate(Statistics.Paired(fisher, random))} points", text.Single(l => l.StartsWith("At sparsity 0.99")));
        Assert.DoesNotContain(text, l => l.Contains("random-pacing"));
        Assert.Equal("Against random-early (a random batch of the same pools), better beyond the noise: fisher-early at 0.99.", text[^1]);
        Assert.Equal("Early-phase arms: gap closed and cost", CurriculumNarrative.ArmsHeading(result));
    }
}
