// Runs stalled at chance (StallRule), counted per method and sparsity, and
// each method's count compared with the reference arms' (scratch, and lottery
// when the study ran it; a curriculum arm also with random-pacing, an
// early-phase arm with random-early, the controls that share its pacing): Fisher's exact test on the 2×2 table of counts, and
// the exact McNemar test on the outcomes paired by seed. Means of a bimodal
// outcome mislead; counts and exact tests do not.
using SparseLab.Reporting;
using SparseLab.Studies.Methods;

namespace SparseLab.Studies;

/// <summary>Runs of one method at one sparsity that stalled at chance, and which seeds.</summary>
public sealed record StallCount(double Sparsity, string Method, int Stalled, int Runs, long[] StalledSeeds);

/// <summary>
/// A method's stalls against a reference arm's at one sparsity. FisherP: Fisher's exact test (two-sided) on
/// [[Stalled, Runs − Stalled], [ReferenceStalled, ReferenceRuns − ReferenceStalled]]. McNemarP: the exact McNemar test on
/// the Pairs seeds both ran, OnlyMethod of them stalled under the method alone, OnlyReference under the reference alone.
/// </summary>
public sealed record StallTest(double Sparsity, string Method, string Reference, int Stalled, int Runs, int ReferenceStalled, int ReferenceRuns,
    double FisherP, int Pairs, int OnlyMethod, int OnlyReference, double McNemarP);

public static class StallTable
{
    /// <summary>The arms every method's stalls are compared with, when the study ran them (lottery: Init-D ⊙ M, a Baseline method).</summary>
    public static IReadOnlyList<string> References { get; } = [Scratch.Id, Lottery.Id];

    /// <summary>The controls an arm of a kind is also compared with: the same pacing or early phase, examples chosen at random.</summary>
    private static readonly Dictionary<MethodKind, string> Controls = new() { [MethodKind.CurriculumArm] = RandomPacing.Id, [MethodKind.EarlyPhaseArm] = RandomEarly.Id };

    private static IEnumerable<string> ReferencesOf(string method) =>
        References.Concat(StudyMethods.Find(method) is { } m && Controls.TryGetValue(m.Kind, out var control) && control != method ? [control] : []);

    public static IReadOnlyList<StallCount> Counts(IReadOnlyList<StudyRow> rows, int classes) =>
        [.. rows.GroupBy(r => (r.Sparsity, r.Method)).OrderBy(g => g.Key.Sparsity).ThenBy(g => StudyMethods.Rank(g.Key.Method))
            .Select(g => new StallCount(g.Key.Sparsity, g.Key.Method, g.Count(r => StallRule.IsStalled(r, classes)), g.Count(),
                [.. g.Where(r => StallRule.IsStalled(r, classes)).Select(r => r.Seed).Order()]))];

    public static IReadOnlyList<StallTest> Tests(IReadOnlyList<StudyRow> rows, int classes)
    {
        var tests = new List<StallTest>();
        foreach (double s in rows.Where(r => r.Method != DenseRun.Name).Select(r => r.Sparsity).Distinct().Order())
        {
            var cell = rows.Where(r => r.Sparsity == s).GroupBy(r => r.Method)
                .ToDictionary(g => g.Key, g => g.GroupBy(r => r.Seed).ToDictionary(x => x.Key, x => StallRule.IsStalled(x.Last(), classes)));
            foreach (string reference in References.Concat(Controls.Values).Where(cell.ContainsKey))
                foreach (string method in cell.Keys.Where(m => m != reference && ReferencesOf(m).Contains(reference)).OrderBy(StudyMethods.Rank))
                {
                    var (a, r) = (cell[method], cell[reference]);
                    int stalled = a.Values.Count(x => x), referenceStalled = r.Values.Count(x => x);
                    var pairs = a.Keys.Where(r.ContainsKey).ToList();
                    int onlyMethod = pairs.Count(seed => a[seed] && !r[seed]), onlyReference = pairs.Count(seed => !a[seed] && r[seed]);
                    tests.Add(new StallTest(s, method, reference, stalled, a.Count, referenceStalled, r.Count,
                        Contingency.FisherExact(stalled, a.Count - stalled, referenceStalled, r.Count - referenceStalled),
                        pairs.Count, onlyMethod, onlyReference, Contingency.McNemarExact(onlyMethod, onlyReference)));
                }
        }
        return tests;
    }
}
