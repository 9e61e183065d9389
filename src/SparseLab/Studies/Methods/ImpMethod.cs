// Iterative magnitude pruning with rewinding (METHODS §4) as a study method:
// the seed's dense run is IMP's level 0, its chain of levels runs once per
// seed, and each sparsity's row is the level that stops on it. Its cost counts
// every level up to that one, the dense level 0 included.
using SparseLab.Schedules;
using SparseLab.Training;

namespace SparseLab.Studies.Methods;

public sealed class ImpMethod : StudyMethod
{
    public const string Id = "imp";
    public override string Name => Id;
    public override MethodKind Kind => MethodKind.Schedule;
    public override string Color => "#ff7f0e";

    public override bool NeedsDenseRun => false;   // its cost counts every level, the dense level 0 included
    public override string NotOnScheduler => "the study makes its levels one after another";

    public override int RunsPerSeed(GapStudyConfig config) =>
        ImpPlan.Make(config.Imp.Rate, null, config.Sparsities, new ImpPlan.Fields("Imp.Rate", nameof(config.Seeds), nameof(config.Sparsities))).Levels;

    public override void CheckBeforeRuns(GapStudy study) => Driver(study, 1);

    public override IReadOnlyList<ITrainingCallback> DenseCallbacks(GapStudy study, long seed, string denseDir) =>
        Driver(study, seed).Level0Callbacks(denseDir);

    public override void AfterDense(GapStudy study, long seed, RunFolder dense)
    {
        var result = Driver(study, seed).Run(
            (k, c) => k == 0 ? dense.Path : study.RunDir($"imp-l{k:00}-seed{seed}", c),
            k => study.Folder.MaskFile($"imp-l{k:00}-seed{seed}"));
        study.CountRuns(result.Levels.Count - 1);
        study.Remember(this, seed, result);
    }

    public override RunFolder Run(GapStudy study, SparseCell cell) => study.AddImpRow(study.Recall<ImpResult>(this, cell.Seed), cell);

    private static ImpDriver Driver(GapStudy study, long seed) =>
        new(new ImpConfig { Train = study.DenseConfig(seed), Pruning = study.Config.Imp, Targets = study.Config.Sparsities }, study.Observer);
}
