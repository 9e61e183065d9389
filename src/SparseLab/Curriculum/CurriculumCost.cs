// What a curriculum costs beyond its own training, in forward multiply-accumulates
// (a backward counts as two forwards): the reference runs it trains and the scoring
// passes over the training set. Written to the run folder as curriculum.json, so a
// study can price every arm the same way whether the scores came from a cache or not.
namespace SparseLab.Curriculum;

/// <param name="Epoch">The epoch at whose start the scores were computed (0: before training).</param>
/// <param name="Model">init, warmup, self, run or file.</param>
public sealed record Scoring(int Epoch, string Model, long Examples, double PassesPerExample, long ForwardFlopsPerExample)
{
    public double Flops => Examples * PassesPerExample * ForwardFlopsPerExample;
}

/// <summary>A reference run trained for the scores (a warm-up): steps × batch examples at 3 forwards each.</summary>
public sealed record ReferenceRun(string Path, long Steps, int BatchSize, long ForwardFlopsPerExample)
{
    public double Flops => 3.0 * Steps * BatchSize * ForwardFlopsPerExample;
}

public sealed record CurriculumRecord(
    string Score, string Reference, string Order, bool BalanceClasses, PacingOptions Pacing,
    IReadOnlyList<Scoring> Scorings, IReadOnlyList<ReferenceRun> ReferenceRuns)
{
    public const string FileName = "curriculum.json";

    /// <summary>Scoring plus reference training, in forward multiply-accumulates.</summary>
    public double ExtraFlops => Scorings.Sum(s => s.Flops) + ReferenceRuns.Sum(r => r.Flops);

    /// <summary>The extra cost recorded in a run folder; 0 for a run without a curriculum.</summary>
    public static double ExtraFlopsOf(string runPath)
    {
        string file = Path.Combine(runPath, FileName);
        return File.Exists(file) ? Foundations.Json.Deserialize<CurriculumRecord>(File.ReadAllText(file)).ExtraFlops : 0;
    }
}
