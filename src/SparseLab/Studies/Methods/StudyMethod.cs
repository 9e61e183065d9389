// One way of reaching a sparse solution that the gap study compares (METHODS
// §1, §4, §7): its name, how it builds its runs from the seed's dense run and
// Sol-D's mask M, what its training cost includes, and how figures show it.
// A new method is one subclass and one line in StudyMethods.
using SparseLab.Training;

namespace SparseLab.Studies.Methods;

public enum MethodKind
{
    /// <summary>Sparse finetuning and sparse scratch, the two the study exists to compare.</summary>
    Baseline,
    /// <summary>Scratch with another mask (random, pruning at init): separates the mask from the initialization.</summary>
    Control,
    /// <summary>A schedule that reaches the sparsity its own way, with its own mask (IMP, GMP, SET, RigL).</summary>
    Schedule,
    /// <summary>Scratch with the same mask and init, its batches drawn by a data curriculum.</summary>
    CurriculumArm,
    /// <summary>Scratch with the same mask and init, its first t* steps changed: early batch selection or the Fisher penalty.</summary>
    EarlyPhaseArm,
}

/// <summary>The setting one sparse run is made for: a sparsity, a seed, the seed's dense run and M = criterion(Sol-D).</summary>
public sealed record SparseCell(double Sparsity, long Seed, RunFolder Dense, string Mask)
{
    public string Tag => $"s{GapStudyConfig.Fmt(Sparsity)}-seed{Seed}";
}

public abstract class StudyMethod
{
    /// <summary>The --methods name, also the method's name in study.json, tables and figures.</summary>
    public abstract string Name { get; }
    public abstract MethodKind Kind { get; }
    /// <summary>The method's colour in every figure.</summary>
    public abstract string Color { get; }

    /// <summary>Runs the method trains per seed (for the progress count and the plan's size).</summary>
    public virtual int RunsPerSeed(GapStudyConfig config) => config.Sparsities.Length;

    /// <summary>Checks the study's settings this method depends on, without data; throws ConfigError naming the study's fields.</summary>
    public virtual void Validate(GapStudyConfig config) { }

    /// <summary>Refuses settings that need the data to check (a schedule window past the run) before the study claims its folder.</summary>
    public virtual void CheckBeforeRuns(GapStudy study) { }

    /// <summary>Callbacks the seed's dense run must train with (IMP's rewind checkpoint).</summary>
    public virtual IReadOnlyList<ITrainingCallback> DenseCallbacks(GapStudy study, long seed, string denseDir) => [];

    /// <summary>Work that follows the dense run, before any sparsity (IMP's chain of levels).</summary>
    public virtual void AfterDense(GapStudy study, long seed, RunFolder dense) { }

    /// <summary>Trains (or finds) the method's run for one cell and records its row; returns the solution's run.</summary>
    public abstract RunFolder Run(GapStudy study, SparseCell cell);

    /// <summary>
    /// Whether the method needs the seed's dense run before it can train (it uses Sol-D's mask or weights): its cost
    /// then counts that run. Methods that choose their masks themselves (pruning at init, the schedules) do not.
    /// </summary>
    public virtual bool NeedsDenseRun => true;

    /// <summary>
    /// Why its runs cannot be handed to a scheduler as run files before the dense run has finished, or null when they
    /// can: the study must read Sol-D's mask to write the run's config (scratch-random), or makes the runs one after
    /// another itself (imp).
    /// </summary>
    public virtual string? NotOnScheduler => null;

    /// <summary>Why the method works on image classifiers only (it scores classes or image batches), or null when it also runs a language model.</summary>
    public virtual string? ImagesOnly => null;

    /// <summary>Whether the study evaluates the path from this method's solution to Sol-F (methods with a mask of their own).</summary>
    public virtual bool PathToFinetune => Kind == MethodKind.Schedule;
}
