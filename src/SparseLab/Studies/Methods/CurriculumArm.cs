// The curriculum study's arms (the seed's proposed fix and its controls;
// METHODS §7): each is sparse scratch with the same mask and init, trained for
// the same number of steps, differing only in which examples its batches are
// drawn from. The study's curriculum settings (score, reference, pacing,
// class balance, EL2N warm-ups) are shared by every arm; each arm sets its
// score, reference and order. Its cost counts its scoring passes and
// reference runs (curriculum.json).
using SparseLab.Curriculum;
using SparseLab.Foundations;
using SparseLab.Training;

namespace SparseLab.Studies.Methods;

public abstract class CurriculumArm : StudyMethod
{
    /// <summary>The study's curriculum settings unless told otherwise: true Fisher under the run's own init, linear pacing.</summary>
    public static CurriculumConfig Defaults { get; } = new() { Score = "fisher-true", Reference = "init", Pacing = "linear" };

    /// <summary>Scores the Fisher-ordered arms may use (el2n and random have arms of their own; a file is one fixed order).</summary>
    public static NameSet FisherScores { get; } = new("fisher-true", "fisher-exact", "fisher-empirical", "last-layer", "loss");

    public override MethodKind Kind => MethodKind.CurriculumArm;

    /// <summary>Whether the arm scores under the study's --curriculum-reference (random-pacing needs no scores; EL2N has its own reference).</summary>
    public virtual bool UsesStudyReference => true;

    /// <summary>The arm's curriculum: the study's settings with this arm's score, reference and order.</summary>
    protected abstract CurriculumConfig Arm(CurriculumConfig study, string el2nReference);

    /// <param name="denseRun">The seed's dense run, which the references dense and dense:epK name; null when only checking.</param>
    public TrainConfig ConfigFor(TrainConfig scratch, GapStudyConfig config, string? scoreCache, string? denseRun = null)
    {
        var arm = Arm(config.Curriculum, config.El2nReference) with { ScoreCache = scoreCache };
        if (denseRun is not null && arm.Reference is not null && ScoreReference.TryParse(arm.Reference) is { Kind: "dense" } dense)
            arm = arm with { Reference = dense.Resolve(denseRun) };
        return scratch with { Curriculum = arm };
    }

    /// <summary>The dense run's epoch an arm scores under (dense:epK), or null.</summary>
    private ScoreReference? DenseEpochReference(GapStudyConfig config) =>
        Arm(config.Curriculum, config.El2nReference).Reference is { } text && ScoreReference.TryParse(text) is { Kind: "dense", Epochs: > 0 } r ? r : null;

    /// <summary>dense:epK: the dense run saves its weights after epoch K.</summary>
    public override IReadOnlyList<ITrainingCallback> DenseCallbacks(GapStudy study, long seed, string denseDir) =>
        DenseEpochReference(study.Config) is { } r ? [new EpochCheckpoint(r.Epochs, new RunFolder(denseDir).CheckpointFile(r.DenseCheckpoint))] : [];

    public override void AfterDense(GapStudy study, long seed, RunFolder dense)
    {
        if (DenseEpochReference(study.Config) is { } r && !File.Exists(dense.CheckpointFile(r.DenseCheckpoint)))
            throw new SparseLabException($"the dense run {dense.Path} has no checkpoint '{r.DenseCheckpoint}' for the curriculum reference {r} " +
                "(it finished before that reference was asked for); delete that folder to train it again");
    }

    public override void Validate(GapStudyConfig config)
    {
        string F(string field) => ConfigError.Field(field);
        Check.That(FisherScores.Contains(config.Curriculum.Score), $"{F("Curriculum.Score")} '{config.Curriculum.Score}': the curriculum arms' score must be one of {FisherScores.Describe()} (el2n and random have arms of their own)");
        Check.That(config.Curriculum.PacingName != "none", $"{F("Curriculum.Pacing")} none would make every arm plain scratch; choose a pacing such as linear");
        try
        {
            ConfigFor(config.Train, config, null).Validate();   // every arm's options, checked before any run
        }
        catch (ConfigError e)
        {
            // The arm's curriculum fields are the study's own (--curriculum, --pacing, ...); the rest are the dense recipe's.
            throw e.Map(path => path.StartsWith("Curriculum.", StringComparison.Ordinal) ? path : $"{nameof(GapStudyConfig.Train)}.{path}");
        }
    }

    public override RunFolder Run(GapStudy study, SparseCell cell) =>
        study.Train(Name, ConfigFor(study.ScratchConfig(cell.Seed, cell.Mask, cell.Dense), study.Config, study.Folder.ScoreCacheDir, cell.Dense.Path), cell);

    /// <summary>The arms' part of the study's canonical string (the fields that differ from the defaults, by name).</summary>
    public static string Canonical(CurriculumConfig c, string el2nReference)
    {
        string arms = ConfigHash.Canonical(c, Defaults, f => f.PropertyPath);
        var parts = arms.Length == 0 ? new List<string>() : [.. arms.Split(';')];
        if (el2nReference != new GapStudyConfig().El2nReference) parts.Add($"El2nReference={el2nReference}");
        return string.Join(";", parts.Order(StringComparer.Ordinal));
    }
}
