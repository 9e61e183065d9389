// Scratch-B of Liu et al. 2019 ("Rethinking the value of network pruning",
// §4): sparse scratch given the training budget of the whole finetuning
// pipeline — the dense run's epochs plus finetuning's — so a gap that
// survives it is not a matter of scratch having trained less. Milestones
// given as fractions stretch with the run; in epochs or steps they stay put.
namespace SparseLab.Studies.Methods;

public sealed class ScratchLong : StudyMethod
{
    public const string Id = "scratch-long";
    public override string Name => Id;
    public override MethodKind Kind => MethodKind.Control;
    public override string Color => "#e377c2";

    public override Training.RunFolder Run(GapStudy study, SparseCell cell)
    {
        var c = study.ScratchConfig(cell.Seed, cell.Mask, cell.Dense);
        var o = c.Optimization;
        var dense = study.Base.Optimization;
        c = c with
        {
            // A run of --steps finetunes for as many steps again (finetuning's epochs do not apply to it).
            Optimization = dense.Steps is { } steps
                ? o with { Steps = 2 * steps }
                : o with { Epochs = dense.Epochs + study.Config.EffectiveFinetuneEpochs },
        };
        return study.Train(Name, c, cell);
    }
}
