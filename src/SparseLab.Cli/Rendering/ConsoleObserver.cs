// Shows training progress: a live bar with ETA, loss and accuracy on a
// terminal; plain periodic lines when output goes to a file or a pipe.
using System.Diagnostics;
using SparseLab.Training;
using SparseLab.Training.Tasks;
using Spectre.Console;

namespace SparseLab.Cli.Rendering;

public static class ConsoleObserver
{
    public static bool IsInteractive => !Console.IsOutputRedirected && AnsiConsole.Profile.Capabilities.Interactive;

    /// <summary>Warnings go to stderr, beside errors, not into the progress log.</summary>
    public static bool IsWarning(string line) => line.StartsWith("warning:", StringComparison.Ordinal);

    /// <summary>Runs work with the observer that suits the output.</summary>
    public static T Run<T>(Func<ITrainingObserver, T> work)
    {
        if (!IsInteractive) return work(new PlainLogObserver(Console.Out));
        T result = default!;
        AnsiConsole.Progress()
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn(), new SpinnerColumn())
            .Start(ctx => result = work(new ProgressBarObserver(ctx)));
        return result;
    }
}

internal sealed class ProgressBarObserver(ProgressContext context) : ITrainingObserver
{
    private ProgressTask? _task;
    private string _title = "";
    private string _lastEpoch = "";

    public void Begin(string title, long totalSteps, long startStep)
    {
        _title = title;
        _task = context.AddTask(Markup.Escape(title), maxValue: totalSteps);
        _task.Value = startStep;
    }

    public void OnStep(long step, double loss, double accuracy, double lr)
    {
        if (_task is null) return;
        _task.Value = step;
        _task.Description = Markup.Escape($"{_title} loss {loss:F3}{(double.IsNaN(accuracy) ? "" : $" acc {accuracy:F3}")}{_lastEpoch}");
    }

    public void OnEpoch(EpochMetrics m)
    {
        _lastEpoch = $" | epoch {m.Epoch}/{m.Epochs} {m.Task.Headline(m)}";
        AnsiConsole.MarkupLine(Markup.Escape(PlainLogObserver.EpochLine(m)));
    }

    public void Message(string line)
    {
        if (ConsoleObserver.IsWarning(line)) Console.Error.WriteLine(line);
        else AnsiConsole.MarkupLine(Markup.Escape(line));
    }

    public void End() => _task?.StopTask();
}

internal sealed class PlainLogObserver(TextWriter output) : ITrainingObserver
{
    private static readonly TimeSpan Every = TimeSpan.FromSeconds(15);
    private readonly Stopwatch _clock = new();
    private TimeSpan _lastLine;
    private long _total, _start;
    private string _title = "";

    public void Begin(string title, long totalSteps, long startStep)
    {
        (_title, _total, _start) = (title, totalSteps, startStep);
        _clock.Restart();
        output.WriteLine($"[{_title}] training {totalSteps} steps" + (startStep > 0 ? $", resuming at step {startStep}" : ""));
    }

    public void OnStep(long step, double loss, double accuracy, double lr)
    {
        if (_clock.Elapsed - _lastLine < Every) return;
        _lastLine = _clock.Elapsed;
        double rate = (step - _start) / Math.Max(_clock.Elapsed.TotalSeconds, 1e-9);
        var eta = TimeSpan.FromSeconds(rate > 0 ? (_total - step) / rate : 0);
        output.WriteLine($"[{_title}] step {step}/{_total} ({100.0 * step / _total:F0}%) loss {loss:F4}{(double.IsNaN(accuracy) ? "" : $" acc {accuracy:F4}")} lr {lr:G4} eta {eta:hh\\:mm\\:ss}");
    }

    public void OnEpoch(EpochMetrics m) => output.WriteLine(EpochLine(m));
    public void Message(string line) => (ConsoleObserver.IsWarning(line) ? Console.Error : output).WriteLine(line);

    public static string EpochLine(EpochMetrics m) => m.Line();
}
