// `sparselab demo`: the main job. Until the gap study lands it trains LeNet-5
// on Fashion-MNIST for a few epochs and prints the result.
using System.ComponentModel;
using SparseLab.Cli.Rendering;
using SparseLab.Foundations;
using SparseLab.Training;
using Spectre.Console.Cli;

namespace SparseLab.Cli.Commands;

public sealed class DemoCommand : Command<DemoCommand.Settings>
{
    public sealed class Settings : CommandSettings
    {
        [CommandOption("--out <DIR>")] [Description("Run folder (default runs/demo).")]
        public string Out { get; init; } = "runs/demo";
        [CommandOption("--epochs <N>")] [Description("Epochs (default 3).")]
        public int Epochs { get; init; } = 3;
        [CommandOption("--data-dir <DIR>")] [Description("Folder with the Fashion-MNIST files.")]
        public string? DataDir { get; init; }
        [CommandOption("--threads <N>")] [Description("CPU threads (default: all cores).")]
        public int Threads { get; init; }
    }

    public override int Execute(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        var config = new TrainConfig
        {
            Dataset = "fashion-mnist", Model = "lenet5", Epochs = settings.Epochs,
            DataDir = settings.DataDir, Threads = settings.Threads, Seed = 1,
        };
        Console.WriteLine($"SparseLab demo: {config.Model} on {config.Dataset}, {config.Epochs} epochs, SGD momentum {config.Momentum}, lr {config.Lr} ({config.LrSchedule}), batch {config.BatchSize}");
        var outcome = ConsoleObserver.Run(observer => TrainingRun.Execute(config, settings.Out, resume: true, observer));
        SummaryPrinter.Print(outcome);
        return 0;
    }
}
