// `sparselab study curriculum`: the seed's proposed fix under fair controls. At each
// sparsity and seed: dense → mask from Sol-D → sparse finetuning, plain sparse scratch,
// and scratch with a Fisher curriculum, an anti-curriculum, a random order under the same
// pacing and an EL2N curriculum — the same mask and init for all — with gap closed, cost,
// Fisher traces over training and a report.
using SparseLab.Studies;

namespace SparseLab.Cli.Commands;

public sealed class StudyCurriculumCommand : StudyCommand
{
    public override string Path => "study curriculum";
    public override string Description =>
        "The seed's fix under fair controls: sparse scratch with a low-Fisher-first curriculum, an anti-curriculum, a random order with the same pacing " +
        "and an EL2N curriculum, against plain scratch and sparse finetuning (same mask); gap closed with intervals, cost, Fisher traces, report.";
    public override IReadOnlyList<string> Examples =>
        ["study curriculum --dataset fashion-mnist --model lenet5 --sparsities 0.98 --seeds 2 --epochs 2 --limit-train 10000 --out runs/curriculum"];
    protected override GapStudyConfig Study => StudyKinds.Curriculum;
    protected override string DefaultOut => "runs/study-curriculum";
}
