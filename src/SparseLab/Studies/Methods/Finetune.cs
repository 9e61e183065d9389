// Sparse finetuning (Init-D → Sol-D → Init-F → Sol-F): Sol-D ⊙ M trained with
// the mask fixed, for --finetune-epochs, by --finetune-schedule: rewind (the
// dense schedule restarted at its peak rate, learning-rate rewinding, Renda et
// al. 2020; the default) or low-lr (the same schedule from a fraction of the
// peak, without warm-up: the classic finetune). Its cost
// counts the dense run it starts from (NeedsDenseRun).
namespace SparseLab.Studies.Methods;

public sealed class Finetune : StudyMethod
{
    public const string Id = "finetune";
    public override string Name => Id;
    public override MethodKind Kind => MethodKind.Baseline;
    public override string Color => "#1f77b4";

    public override Training.RunFolder Run(GapStudy study, SparseCell cell)
    {
        var c = study.Sparse(study.Base, study.Config.EffectiveFinetuneEpochs);
        return study.Train(Name, c with
        {
            Seed = cell.Seed,
            Sparsity = c.Sparsity with { MaskFrom = cell.Mask },
            Model = c.Model with { InitFrom = cell.Dense.Path },
            Optimization = study.Config.FinetuneSchedule == FinetuneSchedules.LowLr
                ? c.Optimization with { Lr = study.Config.EffectiveFinetuneLr, Warmup = Foundations.Duration.Steps(0) }
                : c.Optimization with { Lr = study.Config.EffectiveFinetuneLr },
        }, cell);
    }
}
