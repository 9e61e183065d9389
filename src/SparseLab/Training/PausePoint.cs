// Crash tests need a run stopped at a known step, not "about 5 steps in" after
// a sleep. With SPARSELAB_PAUSE_AT_STEP=N[:PREFIX] a run that started from step
// 0, in a folder whose name starts with PREFIX (any run when left out), stops
// after step N, writes "paused at step N" to stderr and waits there to be
// killed or cancelled. The resumed run (the second attempt) passes through, so
// a task retried under the same environment finishes. Only the crash tests set it.
namespace SparseLab.Training;

public sealed record PausePoint(long Step, string? FolderPrefix)
{
    public const string Variable = "SPARSELAB_PAUSE_AT_STEP";

    /// <summary>The pause the environment asks for, or null (the normal case).</summary>
    public static PausePoint? FromEnvironment() => Parse(Environment.GetEnvironmentVariable(Variable));

    public static PausePoint? Parse(string? text)
    {
        if (string.IsNullOrEmpty(text)) return null;
        var parts = text.Split(':', 2);
        return long.TryParse(parts[0], out long step) && step > 0
            ? new PausePoint(step, parts.Length == 2 ? parts[1] : null)
            : throw new Foundations.SparseLabException($"{Variable}='{text}' is not STEP or STEP:FOLDER-PREFIX (a crash-test setting; unset it)");
    }

    public bool Applies(string runFolder, long startStep) =>
        startStep == 0 && (FolderPrefix is null || Path.GetFileName(Path.TrimEndingDirectorySeparator(runFolder)).StartsWith(FolderPrefix, StringComparison.Ordinal));

    /// <summary>At step <see cref="Step"/>: says so and never returns (the test kills the process).</summary>
    public void At(long step)
    {
        if (step != Step) return;
        Console.Error.WriteLine($"paused at step {step} ({Variable})");
        Console.Error.Flush();
        Thread.Sleep(Timeout.Infinite);
    }
}
