// `sparselab train`: one run.
using SparseLab.Cli.Options;
using SparseLab.Cli.Rendering;
using SparseLab.Foundations;
using SparseLab.Schedules;
using SparseLab.Training;
using SparseLab.Training.Tasks;

namespace SparseLab.Cli.Commands;

public sealed class TrainCommand : CliCommand<TrainCommand.Options>
{
    public sealed record Options
    {
        public TrainConfig Train { get; init; } = new();

        [Option("Run folder (default: runs/<model>-<dataset>-<config hash>).", Value = "DIR", IsPath = true)]
        public string? Out { get; init; }

        [Option("Continue the interrupted run in --out from its last checkpoint.")]
        public bool Resume { get; init; }
    }

    public override string Path => "train";
    public override string Description => "Train one network; writes a run folder (config.json, metrics.jsonl, summary.json, checkpoints/, tb/).";
    public override IReadOnlyList<string> Examples =>
    [
        "train --dataset fashion-mnist --model lenet5 --epochs 15 --out runs/lenet5",
        "train --model lenet5 --sparsity 0.9 --criterion snip --budget erk --epochs 2",
        "train --model lenet5 --schedule rigl --sparsity 0.9 --epochs 2",
    ];
    protected override Options Defaults => new();

    protected override Options Complete(Bound<Options> bound) =>
        bound.Value with { Train = WithScheduleStart(WithTaskDefaults(bound.Value.Train, bound.Sources, "Train"), bound.Sources) };

    protected override int Execute(Bound<Options> bound)
    {
        var o = bound.Value;
        var config = o.Train;
        if (o.Resume)
        {
            Check.That(o.Out is not null, $"{ConfigError.Field(nameof(Options.Resume))} needs {ConfigError.Field(nameof(Options.Out))}: the folder of the run to continue");
            var run = new RunFolder(o.Out!);
            Check.That(run.HoldsRun, nameof(Options.Resume), $"'{run.Path}' holds no run to resume; drop --resume to start one there");
        }
        var outcome = ConsoleObserver.Run(observer => TrainingRun.Execute(config, o.Out, o.Resume, observer));
        SummaryPrinter.Print(outcome);
        return 0;
    }

    /// <summary>A run takes its task's recipe (a GPT's: Training/Tasks/LanguageModelRecipe) beneath the options given.</summary>
    public static TrainConfig WithTaskDefaults(TrainConfig c, IReadOnlyDictionary<string, string> given, string section) =>
        TaskRegistry.For(c).Recipe is { } recipe ? OptionSet.Underlay(recipe, c, given, section) : c;

    /// <summary>SET and RigL start from a random ERK mask (Evci et al. 2020) unless --criterion or --budget say otherwise.</summary>
    public static TrainConfig WithScheduleStart(TrainConfig c, IReadOnlyDictionary<string, string> given)
    {
        if (MaskSchedules.DefaultStart(c.MaskSchedule.Kind) is not var (criterion, budget)) return c;
        var s = c.Sparsity;
        return c with
        {
            Sparsity = s with
            {
                Criterion = given.ContainsKey("Train.Sparsity.Criterion") ? s.Criterion : criterion,
                Budget = given.ContainsKey("Train.Sparsity.Budget") ? s.Budget : budget,
            },
        };
    }
}

internal static class SummaryPrinter
{
    public static void Print(TrainingOutcome o)
    {
        var s = o.Summary;
        if (o.AlreadyFinished) Console.WriteLine($"this run had already finished; delete {o.Run.Path} to run it again");
        Console.WriteLine($"run: {o.Run.Path}");
        if (s.ValBpc is { } bpc)
        {
            Console.WriteLine($"val_loss: {s.ValLoss:F6}");
            Console.WriteLine($"val_bpc: {bpc:F4} (a unigram model of the corpus: {s.UnigramBpc:F4})");
            Console.WriteLine($"val_perplexity: {s.ValPerplexity:F4}");
            Console.WriteLine($"val_accuracy (next byte): {s.ValAccuracy:F4}");
            Console.WriteLine($"train_loss: {s.TrainLoss:F6}");
            Console.WriteLine($"sparsity: {s.Sparsity:F4}");
            Console.WriteLine($"wall_seconds: {s.WallSeconds:F1}");
            return;
        }
        if (double.IsNaN(s.TestAccuracy))   // a denoiser: its numbers are losses and the sample score
        {
            Console.WriteLine($"test_loss (denoising): {s.TestLoss:F6}");
            Console.WriteLine($"train_loss (denoising): {s.TrainLoss:F6}");
            if (s.FrechetLenet is { } fld)
            {
                Console.WriteLine($"frechet_lenet: {fld:F3} ({s.FidImages} samples, {s.SampleSteps} DDIM steps; samples.png in the run folder)");
                Console.WriteLine($"  references: {s.FrechetFloor:F3} the training images (the floor), {s.FrechetGaussian:F3} a Gaussian fitted to the training pixels; " +
                    $"the LeNet-5 features' test accuracy {s.FrechetClassifierAccuracy:F4}");
            }
            Console.WriteLine($"sparsity: {s.Sparsity:F4}");
            Console.WriteLine($"wall_seconds: {s.WallSeconds:F1}");
            return;
        }
        Console.WriteLine($"test_accuracy: {s.TestAccuracy:F4}");
        Console.WriteLine($"test_loss: {s.TestLoss:F6}");
        if (s.TestTop5 is { } t5) Console.WriteLine($"test_top5: {t5:F4}");
        Console.WriteLine($"train_accuracy: {s.TrainAccuracy:F4}");
        Console.WriteLine($"train_loss: {s.TrainLoss:F6}");
        Console.WriteLine($"sparsity: {s.Sparsity:F4}");
        Console.WriteLine($"wall_seconds: {s.WallSeconds:F1}");
    }
}
