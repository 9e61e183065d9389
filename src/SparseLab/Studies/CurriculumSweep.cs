// A curriculum sweep (issue: find where the fix works): the curriculum study run
// for every weight initialization × scoring reference, each a study folder of
// its own under the sweep's (<init>/<reference>), and one table over all of
// them (the studies share one runs/ folder, so the dense, finetune and scratch
// runs they have in common train once): per init, reference, sparsity and arm, the finetune − scratch gap, the
// arm's gain over plain scratch and over random-pacing (its control: the same
// pacing, a random order), and the gap closed, each with its 95 % interval.
using SparseLab.Reporting;
using SparseLab.Studies.Methods;
using SparseLab.Training;

namespace SparseLab.Studies;

/// <summary>One arm in one cell of the sweep; gains and gaps are paired by seed, in accuracy fractions.</summary>
public sealed record SweepCell(
    string Init, string Reference, double Sparsity, string Arm,
    Estimate Gap, Estimate TrainGap, Estimate GainOverScratch, Estimate? GainOverRandomPacing, Estimate? GainOverAnti, RatioEstimate GapClosed);

public sealed record SweepResult(IReadOnlyList<SweepCell> Cells, IReadOnlyList<string> Studies);

public static class CurriculumSweep
{
    /// <summary>A cell's study folder under the sweep's: init/reference, with ':' spelled '-'.</summary>
    public static string FolderOf(string root, string init, string reference) => Path.Combine(root, init, reference.Replace(':', '-'));

    /// <summary>The study of one cell: the sweep's study with this init and scoring reference.</summary>
    public static GapStudyConfig CellConfig(GapStudyConfig study, string init, string reference) => study with
    {
        Train = study.Train with { Model = study.Train.Model with { Init = init } },
        Curriculum = study.Curriculum with { Reference = reference },
    };

    /// <summary>Validates every cell before any run; then runs them in order (each study resumes and skips what is done).</summary>
    /// <param name="executor">Where the runs train; each cell waits for its runs before the next is planned, since cells share runs.</param>
    public static SweepResult Run(GapStudyConfig study, IReadOnlyList<string> inits, IReadOnlyList<string> references, string root, ITrainingObserver observer,
        Execution.IRunExecutor? executor = null)
    {
        var cells = inits.SelectMany(i => references.Select(r => (Init: i, Reference: r, Config: CellConfig(study, i, r)))).ToList();
        foreach (var c in cells) c.Config.Validate();
        var results = new List<(string Init, string Reference, GapStudyResult Result)>();
        foreach (var (init, reference, config) in cells)
        {
            observer.Message($"[sweep] init {init}, reference {reference}");
            string dir = FolderOf(root, init, reference);
            var result = new GapStudy(config, new StudyFolder(dir, runsDir: Path.Combine(root, "runs")), observer).Run(executor ?? Execution.LocalExecutor.Instance)
                ?? throw new InvalidOperationException("a sweep's cells wait for their runs");
            GapReport.Write(result, dir);
            results.Add((init, reference, result));
        }
        return new SweepResult(Tabulate(results), [.. cells.Select(c => FolderOf(root, c.Init, c.Reference))]);
    }

    public static IReadOnlyList<SweepCell> Tabulate(IEnumerable<(string Init, string Reference, GapStudyResult Result)> studies)
    {
        var cells = new List<SweepCell>();
        foreach (var (init, reference, result) in studies)
        {
            var rows = result.Rows;
            foreach (double s in rows.Where(r => r.Method == Scratch.Id).Select(r => r.Sparsity).Distinct().Order())
            {
                var by = rows.Where(r => r.Sparsity == s).GroupBy(r => r.Method).ToDictionary(g => g.Key, g => g.ToDictionary(r => r.Seed));
                if (!by.TryGetValue(Scratch.Id, out var scratch) || !by.TryGetValue(Finetune.Id, out var finetune)) continue;
                foreach (var arm in by.Keys.Where(m => StudyMethods.Find(m)?.Kind == MethodKind.CurriculumArm).OrderBy(StudyMethods.Rank))
                {
                    var seeds = by[arm].Keys.Where(k => scratch.ContainsKey(k) && finetune.ContainsKey(k)).Order().ToList();
                    if (seeds.Count == 0) continue;
                    double[] Test(Dictionary<long, StudyRow> m) => [.. seeds.Select(k => m[k].TestAccuracy)];
                    double[] Train(Dictionary<long, StudyRow> m) => [.. seeds.Select(k => m[k].TrainAccuracy)];
                    var a = Test(by[arm]);
                    Estimate? Over(string other) => other != arm && by.TryGetValue(other, out var o) && seeds.All(o.ContainsKey) ? Statistics.Paired(a, Test(o)) : null;
                    var gap = a.Zip(Test(scratch), (x, y) => x - y).ToArray();
                    var full = Test(finetune).Zip(Test(scratch), (x, y) => x - y).ToArray();
                    // An arm that ignores the swept reference is the same runs in every study of this init: listed once.
                    bool own = StudyMethods.Find(arm) is CurriculumArm { UsesStudyReference: true };
                    if (!own && cells.Any(c => c.Init == init && c.Sparsity == s && c.Arm == arm)) continue;
                    cells.Add(new SweepCell(init, own ? reference : "(not swept)", s, arm,
                        Statistics.Paired(Test(finetune), Test(scratch)), Statistics.Paired(Train(finetune), Train(scratch)),
                        Statistics.Paired(a, Test(scratch)), Over(RandomPacing.Id), Over(AntiCurriculum.Id), Statistics.RatioOfMeans(gap, full)));
                }
            }
        }
        return cells;
    }
}
