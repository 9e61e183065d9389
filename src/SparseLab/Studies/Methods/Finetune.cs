// Sparse finetuning (Init-D → Sol-D → Init-F → Sol-F): Sol-D ⊙ M trained with
// the mask fixed, for --finetune-epochs at --finetune-lr with the learning-rate
// schedule restarted (learning-rate rewinding, Renda et al. 2020). Its cost
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
        var c = study.Base;
        return study.Train(Name, c with
        {
            Seed = cell.Seed,
            Sparsity = c.Sparsity with { MaskFrom = cell.Mask },
            Model = c.Model with { InitFrom = cell.Dense.Path },
            Optimization = c.Optimization with { Epochs = study.Config.EffectiveFinetuneEpochs, Lr = study.Config.EffectiveFinetuneLr },
        }, cell);
    }
}
