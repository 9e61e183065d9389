// `sparselab study gap`: sparse scratch vs sparse finetuning with the same
// mask across sparsities and seeds, linear paths, regimes, and a report.
using SparseLab.Studies;

namespace SparseLab.Cli.Commands;

public sealed class StudyGapCommand : StudyCommand
{
    public override string Path => "study gap";
    public override string Description =>
        "Sparse scratch vs sparse finetuning with the same mask: sparsities x seeds, controls and schedules (--methods), linear paths, regimes, report.html.";
    public override IReadOnlyList<string> Examples =>
    [
        "study gap --dataset fashion-mnist --model lenet5 --sparsities 0.9,0.99 --seeds 2 --epochs 2 --out runs/gap",
        "study gap --preset paper --data-dir ~/data/cifar-100-binary --out runs/paper",
    ];
    protected override GapStudyConfig Study => StudyKinds.Gap;
    protected override string DefaultOut => "runs/study-gap";
}
