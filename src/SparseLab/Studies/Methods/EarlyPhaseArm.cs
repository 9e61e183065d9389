// The early-phase arms (issue 23 item 4; EarlyPhase/): sparse scratch with the same mask and init
// (study.ScratchConfig, whatever --scratch-init makes it), trained as long, differing only in its
// first t* steps: which examples its batches hold (fisher-early, fisher-early-hard, loss-early,
// random-early, one shared pool per step) or the Fisher penalty (fisher-penalty). The study's
// --early-steps, --early-pool and --fisher-penalty are shared by the arms; each sets its own selection.
// Its cost counts the scoring and penalty passes (summary.json's train_flops).
using SparseLab.EarlyPhase;
using SparseLab.Foundations;
using SparseLab.Training;

namespace SparseLab.Studies.Methods;

public abstract class EarlyPhaseArm : StudyMethod
{
    /// <summary>
    /// λ of the fisher-penalty arm when the study gives no --fisher-penalty. At the ledger's fix setting 0.01, 0.1 and 1 all
    /// left scratch's test accuracy within the noise (docs/studies/claims-settings-2026-12-07.md); 0.1 is the middle.
    /// </summary>
    public const double DefaultPenalty = 0.1;

    public override MethodKind Kind => MethodKind.EarlyPhaseArm;

    /// <summary>The arm's early phase: the study's settings with this arm's selection or penalty.</summary>
    protected abstract EarlyPhaseConfig Arm(EarlyPhaseConfig study);

    /// <summary>Whether the arm chooses batches from the pool (so --early-pool concerns it).</summary>
    public virtual bool Selects => true;

    /// <summary>Whether the arm adds the Fisher penalty (so --fisher-penalty concerns it).</summary>
    public virtual bool Penalizes => false;

    public TrainConfig ConfigFor(TrainConfig scratch, GapStudyConfig config) => scratch with { Early = Arm(config.Early) };

    public override void Validate(GapStudyConfig config)
    {
        try
        {
            ConfigFor(config.Train, config).Validate();   // the arm's run, checked before any run
        }
        catch (ConfigError e)
        {
            // The arm's early fields are the study's own (--early-steps, ...); the rest are the dense recipe's.
            throw e.Map(path => path.StartsWith("Early.", StringComparison.Ordinal) ? path : $"{nameof(GapStudyConfig.Train)}.{path}");
        }
    }

    /// <summary>t* against the run's length, known once the data is.</summary>
    public override void CheckBeforeRuns(GapStudy study)
    {
        try
        {
            Arm(study.Config.Early).EarlySteps(study.StepsPerEpoch, study.TotalSteps);
        }
        catch (ConfigError e)
        {
            throw e.Within(nameof(GapStudyConfig.Early));
        }
    }

    public override RunFolder Run(GapStudy study, SparseCell cell) =>
        study.Train(Name, ConfigFor(study.ScratchConfig(cell.Seed, cell.Mask, cell.Dense), study.Config), cell);
}

/// <summary>An arm whose early batches are chosen out of the pool by <see cref="Selection"/>.</summary>
public abstract class EarlySelectionArm : EarlyPhaseArm
{
    protected abstract string Selection { get; }
    public override string? ImagesOnly => "it scores single images by their per-example gradient norms or losses";
    protected override EarlyPhaseConfig Arm(EarlyPhaseConfig study) => study with { Select = Selection, Penalty = null };
}
