// The registry of the gap study's methods, in the order the study runs them
// and figures list them.
using SparseLab.Foundations;

namespace SparseLab.Studies.Methods;

public static class StudyMethods
{
    public static IReadOnlyList<StudyMethod> All { get; } =
    [
        new Finetune(),
        new Scratch(),
        new Lottery(),
        new ScratchLong(),
        new ImpMethod(),
        new ScheduleMethod("gmp", "#8c564b"),
        new ScheduleMethod("set", "#e377c2"),
        new ScheduleMethod("rigl", "#17becf"),
        new ScratchRandomMask(),
        new PruneAtInitScratch("snip", "#9467bd"),
        new PruneAtInitScratch("grasp", "#bcbd22"),
        new PruneAtInitScratch("synflow", "#7f7f7f"),
        new FisherCurriculum(),
        new AntiCurriculum(),
        new RandomPacing(),
        new El2nCurriculum(),
        new FisherEarly(),
        new FisherEarlyHard(),
        new LossEarly(),
        new RandomEarly(),
        new FisherPenaltyArm(),
    ];

    public static NameSet Names { get; } = new([.. All.Select(m => m.Name)]);

    public static StudyMethod? Find(string name) => All.FirstOrDefault(m => m.Name == name);

    /// <summary>The named methods in the registry's order (unknown names left out: validation reports them).</summary>
    public static IReadOnlyList<StudyMethod> InOrder(IEnumerable<string> names)
    {
        var wanted = names.ToHashSet(StringComparer.Ordinal);
        return [.. All.Where(m => wanted.Contains(m.Name))];
    }

    /// <summary>A method's place in tables and figures: dense first, then the registry's order, unknown names last.</summary>
    public static int Rank(string name)
    {
        if (name == DenseRun.Name) return -1;
        for (int i = 0; i < All.Count; i++) if (All[i].Name == name) return i;
        return All.Count;
    }
}

/// <summary>The dense run (Init-D → Sol-D): not a method one chooses, but a row and a line in every figure.</summary>
public static class DenseRun
{
    public const string Name = "dense";
    public const string Color = "#333333";
}
