// `sparselab train`: one run.
using SparseLab.Cli.Rendering;
using SparseLab.Cli.Settings;
using SparseLab.Training;
using Spectre.Console.Cli;

namespace SparseLab.Cli.Commands;

public sealed class TrainCommand : Command<TrainRunSettings>
{
    public override int Execute(CommandContext context, TrainRunSettings settings, CancellationToken cancellationToken)
    {
        var config = settings.ToConfig();
        var outcome = ConsoleObserver.Run(observer => TrainingRun.Execute(config, settings.Out, settings.Resume, observer));
        SummaryPrinter.Print(outcome);
        return 0;
    }
}

internal static class SummaryPrinter
{
    public static void Print(TrainingOutcome o)
    {
        var s = o.Summary;
        if (o.AlreadyFinished) Console.WriteLine($"this run had already finished; delete {o.Run.Path} to run it again");
        Console.WriteLine($"run: {o.Run.Path}");
        Console.WriteLine($"test_accuracy: {s.TestAccuracy:F4}");
        Console.WriteLine($"test_loss: {s.TestLoss:F6}");
        if (s.TestTop5 is { } t5) Console.WriteLine($"test_top5: {t5:F4}");
        Console.WriteLine($"train_accuracy: {s.TrainAccuracy:F4}");
        Console.WriteLine($"train_loss: {s.TrainLoss:F6}");
        Console.WriteLine($"sparsity: {s.Sparsity:F4}");
        Console.WriteLine($"wall_seconds: {s.WallSeconds:F1}");
    }
}
