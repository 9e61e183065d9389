// `sparselab demo`: the main job — the gap study on Fashion-MNIST at a few
// sparsities and 2 seeds, sized (by measurement, see README) so that both the
// generalization and the optimization regime appear within minutes on 2 cores.
using SparseLab.Cli.Options;
using SparseLab.Cli.Rendering;
using SparseLab.Foundations;
using SparseLab.Reporting;
using SparseLab.Studies;

namespace SparseLab.Cli.Commands;

public sealed class DemoCommand : CliCommand<DemoCommand.Options>
{
    public sealed record Options
    {
        [Option("Study folder; rerunning it skips finished runs.", Value = "DIR", IsPath = true)]
        public string Out { get; init; } = "runs/demo";

        [Option("Folder with the Fashion-MNIST files (default: $SPARSELAB_DATA/fashion-mnist, then /usr/share/datasets/fashion-mnist).", Value = "DIR")]
        public string? DataDir { get; init; }

        [Option("CPU threads (0: all cores).")]
        public int Threads { get; init; }
    }

    public override string Path => "demo";
    public override string Description =>
        "Run the main job: the gap study on Fashion-MNIST (dense; then with the same mask sparse finetuning, sparse scratch, lottery, and the seed's fix — low-Fisher examples early — beside its random control, at three sparsities, 3 seeds) with its report.";
    protected override Options Defaults => new();

    protected override int Execute(Bound<Options> bound)
    {
        var o = bound.Value;
        Check.That(o.Threads >= 0, nameof(Options.Threads), $"must be 0 (all cores) or more, got {o.Threads}");
        var study = StudyKinds.Demo(o.DataDir, o.Threads);
        var t = study.Train;
        Console.WriteLine($"SparseLab demo: the gap study — {t.Model.Name} ({t.Model.Init} init) on {t.Data.Dataset} ({t.Data.LimitTrain:N0} training images, " +
                          $"{t.Optimization.Epochs} epochs), sparsities {string.Join(", ", study.Sparsities)}, {study.Seeds} seeds: dense, then with the same mask " +
                          "sparse finetuning, sparse scratch (a fresh init), lottery (Init-D ⊙ M), and scratch fed its lowest-Fisher examples early beside a random " +
                          "choice from the same pools; Fisher traces, the solutions' Fisher and curvature, and linear paths.");
        var folder = new StudyFolder(o.Out);
        var result = ConsoleObserver.Run(observer => new GapStudy(study, folder, observer).Run());
        GapReport.Write(result, folder.Path);
        Console.WriteLine();
        foreach (var line in GapNarrative.Describe(result)) Console.WriteLine(line);
        foreach (var line in CurriculumNarrative.Describe(result).Skip(1)) Console.WriteLine(line);
        Console.WriteLine($"report: {System.IO.Path.Combine(folder.Path, "report.html")} (also report.md, study.json, figures/)");
        return 0;
    }
}
