// `sparselab study gap`: sparse scratch vs sparse finetuning with the same
// mask across sparsities and seeds, linear paths, regimes, and a report.
using System.ComponentModel;
using System.Globalization;
using SparseLab.Cli.Rendering;
using SparseLab.Cli.Settings;
using SparseLab.Foundations;
using SparseLab.Reporting;
using SparseLab.Studies;
using Spectre.Console.Cli;

namespace SparseLab.Cli.Commands;

public sealed class StudyGapCommand : Command<StudyGapCommand.Settings>
{
    public class Settings : TrainSettings
    {
        [CommandOption("--sparsities <LIST>")] [Description("Comma-separated sparsities in (0, 1) (default 0.5,0.8,0.9,0.95,0.98).")]
        public string? Sparsities { get; init; }
        [CommandOption("--seeds <N>")] [Description("Seeds 1..N; every cell is a mean with a 95 % interval over them (default 3).")]
        public int? Seeds { get; init; }
        [CommandOption("--methods <LIST>")] [Description("finetune,scratch plus optional controls scratch-random, scratch-snip, scratch-grasp, scratch-synflow, and the schedules imp, gmp, set, rigl.")]
        public string? Methods { get; init; }
        [CommandOption("--imp-rate <P>")] [Description("imp: fraction of the remaining weights removed per level (default 0.2); levels stop exactly on each sparsity.")]
        public double? ImpRate { get; init; }
        [CommandOption("--rewind <POINT>")] [Description("imp: rewind survivors to 0 (the dense init, default), Kit or Kep of the dense run.")]
        public string? Rewind { get; init; }
        [CommandOption("--finetune-epochs <N>")] [Description("Epochs of sparse finetuning (default: --epochs).")]
        public int? FinetuneEpochs { get; init; }
        [CommandOption("--finetune-lr <X>")] [Description("Peak learning rate of finetuning (default: --lr).")]
        public double? FinetuneLr { get; init; }
        [CommandOption("--scratch-init <NAME>")] [Description("original (Init-D ⊙ M, default), reinit (fresh init ⊙ M) or scaled (sparsity-aware rescaling, Evci et al. 2022).")]
        public string? ScratchInit { get; init; }
        [CommandOption("--points <N>")] [Description("Points on each linear path over α in [-0.2, 1.2] (default 29; 0 skips the paths).")]
        public int? Points { get; init; }
        [CommandOption("--bn <MODE>")] [Description("BatchNorm statistics along paths: recompute (default) or copy.")]
        public string? Bn { get; init; }
        [CommandOption("--path-train <N>")] [Description("Training examples the paths are evaluated on (default 10000).")]
        public long? PathTrain { get; init; }
        [CommandOption("--path-test <N>")] [Description("Test examples the paths are evaluated on (default 10000).")]
        public long? PathTest { get; init; }
        [CommandOption("--regime-threshold <X>")] [Description("Train-accuracy gap (fraction) above which a sparsity is in the optimization regime (default 0.01).")]
        public double? RegimeThreshold { get; init; }
        [CommandOption("--no-fisher")] [Description("Do not track Fisher traces through the runs (on by default, at every epoch end).")]
        public bool NoFisher { get; init; }
        [CommandOption("--no-curvature")] [Description("Do not measure the curvature of every Sol-S and Sol-F.")]
        public bool NoCurvature { get; init; }
        [CommandOption("--curvature-samples <N>")] [Description("Training examples the curvature is measured on (default 512).")]
        public int? CurvatureSamples { get; init; }
        [CommandOption("--preset <NAME>")] [Description("paper: the seed's setup (ResNet-32, CIFAR-100, 160 epochs, SGD 0.9, lr 0.1 ÷10 at 50 % and 75 %, batch 128).")]
        public string? Preset { get; init; }
        [CommandOption("--out <DIR>")] [Description("Study folder (default runs/study-gap, or runs/study-curriculum).")]
        public string? Out { get; init; }

        public GapStudyConfig ToStudyConfig()
        {
            var train = ToConfig();
            if (Preset is not null)
            {
                if (Preset != "paper") throw new InvalidOptionException($"--preset '{Preset}' is not known; use paper");
                train = train with
                {
                    Dataset = Dataset ?? "cifar100", Model = Model ?? "resnet32", Epochs = Epochs ?? 160, BatchSize = BatchSize ?? 128,
                    Lr = Lr ?? 0.1, Momentum = Momentum ?? 0.9, WeightDecay = WeightDecay ?? 1e-4, LrSchedule = LrSchedule ?? "step",
                    Milestones = Milestones is null ? [(Epochs ?? 160) / 2, (Epochs ?? 160) * 3 / 4] : train.Milestones,
                };
            }
            var d = new GapStudyConfig();
            return new GapStudyConfig
            {
                Train = train,
                Sparsities = Sparsities is null ? d.Sparsities : ParseList(Sparsities),
                Seeds = Seeds ?? d.Seeds,
                Criterion = Criterion ?? d.Criterion, Budget = Budget ?? d.Budget,
                Methods = Methods is null ? d.Methods : Methods.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries),
                FinetuneEpochs = FinetuneEpochs, FinetuneLr = FinetuneLr, ImpRate = ImpRate ?? d.ImpRate, Rewind = Rewind ?? d.Rewind,
                ScratchInit = ScratchInit ?? d.ScratchInit, PathPoints = Points ?? d.PathPoints, PathBn = Bn ?? d.PathBn,
                PathTrainExamples = PathTrain ?? d.PathTrainExamples, PathTestExamples = PathTest ?? d.PathTestExamples,
                RegimeThreshold = RegimeThreshold ?? d.RegimeThreshold,
                Fisher = !NoFisher, Curvature = !NoCurvature, CurvatureSamples = CurvatureSamples ?? d.CurvatureSamples,
            };
        }

        private static double[] ParseList(string text)
        {
            try
            {
                return [.. text.Split(',', StringSplitOptions.TrimEntries).Select(t => double.Parse(t, NumberStyles.Float, CultureInfo.InvariantCulture))];
            }
            catch (FormatException)
            {
                throw new InvalidOptionException($"--sparsities '{text}': expected comma-separated numbers such as 0.5,0.9,0.98");
            }
        }
    }

    public override int Execute(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        // The study chooses masks itself: --sparsity belongs to single runs.
        if (settings.Sparsity is not null)
            throw new InvalidOptionException("--sparsity is for single runs; the study takes --sparsities");
        return RunStudy(settings.ToStudyConfig(), new StudyFolder(settings.Out ?? "runs/study-gap"));
    }

    // Rounded first, so a tiny negative number prints as +0.0000, not -+0.0000.
    private static string Signed(double x) => Math.Round(x, 4).ToString("+0.0000;-0.0000;+0.0000", CultureInfo.InvariantCulture);

    /// <summary>Runs a study, writes its report and prints where everything went.</summary>
    internal static int RunStudy(GapStudyConfig study, StudyFolder folder)
    {
        var result = ConsoleObserver.Run(observer => new GapStudy(study, folder, observer).Run());
        var files = GapReport.Write(result, folder.Path);
        Console.WriteLine($"study: {folder.Path}");
        Console.WriteLine($"results: {folder.ResultFile}");
        Console.WriteLine($"report: {Path.Combine(folder.Path, "report.html")} (and report.md, figures/)");
        if (MethodRanking.HasSchedules(result))
            foreach (double s in result.Config["sparsities"] is double[] list ? list : [])
                Console.WriteLine($"sparsity {s}: {MethodRanking.Line(result, s)}");
        foreach (var r in result.Regimes)
            Console.WriteLine($"sparsity {r.Sparsity}: {r.Regime} regime; finetune − scratch: train {Signed(r.TrainGap.Mean)}, test {Signed(r.TestGap.Mean)}");
        foreach (var g in result.GapClosed ?? [])
            Console.WriteLine($"sparsity {g.Sparsity} {g.Arm}: test gain over scratch {Signed(g.TestGain.Mean)}, gap closed {CurriculumNarrative.Ratio(g.TestGapClosed)}, cost {g.CostRelativeToFinetune:0.00}× finetuning");
        return 0;
    }
}
