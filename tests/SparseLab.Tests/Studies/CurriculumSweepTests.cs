// The sweep's table, computed by hand from rows: every arm's gain over scratch,
// over random-pacing and over anti-curriculum, paired by seed; and the verdict.
using SparseLab.Reporting;
using SparseLab.Studies;

namespace SparseLab.Tests.Studies;

public sealed class CurriculumSweepTests
{
    private static StudyRow Row(string method, long seed, double test) =>
        new(0.99, method, seed, test, test + 0.05, 0, 0, 0.99, "", 0);

    private static GapStudyResult Result(IEnumerable<StudyRow> rows) => new(new Dictionary<string, object?>(), new Dictionary<string, object?>(), [.. rows], [], [], []);

    [Fact]
    public void Given_rows_of_three_seeds_Then_each_arm_has_its_paired_gains_and_gap_closed()
    {
        var rows = new List<StudyRow>();
        double[] scratch = [0.70, 0.72, 0.71], finetune = [0.76, 0.77, 0.77], random = [0.71, 0.72, 0.715], curriculum = [0.74, 0.755, 0.75], anti = [0.70, 0.715, 0.71];
        for (int i = 0; i < 3; i++)
        {
            rows.Add(Row("scratch", i + 1, scratch[i]));
            rows.Add(Row("finetune", i + 1, finetune[i]));
            rows.Add(Row("random-pacing", i + 1, random[i]));
            rows.Add(Row("curriculum", i + 1, curriculum[i]));
            rows.Add(Row("anti-curriculum", i + 1, anti[i]));
        }
        var cells = CurriculumSweep.Tabulate([("pytorch-default", "dense", Result(rows))]);
        Assert.Equal(["curriculum", "anti-curriculum", "random-pacing"], cells.Select(c => c.Arm));
        var cur = cells[0];
        Assert.Equal(curriculum.Zip(random, (a, b) => a - b).Average(), cur.GainOverRandomPacing!.Mean, 12);
        Assert.Equal(curriculum.Zip(anti, (a, b) => a - b).Average(), cur.GainOverAnti!.Mean, 12);
        Assert.Equal(finetune.Zip(scratch, (a, b) => a - b).Average(), cur.Gap.Mean, 12);
        Assert.Equal(curriculum.Zip(scratch, (a, b) => a - b).Average() / finetune.Zip(scratch, (a, b) => a - b).Average(), cur.GapClosed.Ratio, 12);
        Assert.Null(cells[2].GainOverRandomPacing);                                       // random-pacing is its own control

        var verdict = SweepReport.Verdict(cells);
        Assert.Contains("beat random-pacing: curriculum (pytorch-default init, dense reference, sparsity 0.99", verdict[1]);
        Assert.Contains("better beyond the noise in 1 of 1 cells", verdict[^1]);
    }
}
