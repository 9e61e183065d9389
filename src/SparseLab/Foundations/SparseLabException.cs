// Errors a person can act on. The CLI prints the message as one `error:` line
// and exits with ExitCode: 2 for bad options, 1 for everything else.
namespace SparseLab.Foundations;

public class SparseLabException(string message, int exitCode = 1, Exception? inner = null)
    : Exception(message, inner)
{
    public int ExitCode { get; } = exitCode;
}

/// <summary>An option or option combination that cannot be used; exit code 2 (1 where the option is fine but its file cannot be used).</summary>
public class InvalidOptionException(string message, int exitCode = 2) : SparseLabException(message, exitCode);

/// <summary>A data file that is missing, truncated or corrupt; exit code 1.</summary>
public sealed class DataException(string message, Exception? inner = null) : SparseLabException(message, 1, inner);
