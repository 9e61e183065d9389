// Writes files so that a crash leaves either the old file or the new one,
// never half of one: write a temporary file beside the target, then rename.
namespace SparseLab.Foundations;

public static class AtomicFile
{
    public static void Write(string path, Action<Stream> write) =>
        Replace(path, $".{Path.GetFileName(path)}.{Environment.ProcessId}.tmp", temp =>
        {
            using var stream = new FileStream(temp, FileMode.Create, FileAccess.Write, FileShare.None);
            write(stream);
            stream.Flush(flushToDisk: true);
        });

    /// <summary>
    /// Writes <paramref name="path"/> through a temporary file named <paramref name="tempName"/> beside it. A failure to
    /// write (no such folder, no permission, a full disk, a folder in the way) is an <see cref="OutputWriteException"/>
    /// naming the path the caller gave, never the temporary file.
    /// </summary>
    public static void Replace(string path, string tempName, Action<string> writeTemp)
    {
        string dir = Path.GetDirectoryName(Path.GetFullPath(path))!;
        string temp = Path.Combine(dir, tempName);
        try
        {
            if (Directory.Exists(path)) throw new OutputWriteException(path, "it is a folder; give a file name", systemFailure: false);
            Directory.CreateDirectory(dir);
            writeTemp(temp);
            File.Move(temp, path, overwrite: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException && e is not OutputWriteException)
        {
            throw new OutputWriteException(path, Reason(e, temp));
        }
        finally
        {
            if (File.Exists(temp)) File.Delete(temp);
        }
    }

    /// <summary>The system's words, less the temporary file's name (the user never gave it).</summary>
    private static string Reason(Exception e, string temp) =>
        e.Message.Replace($" : '{temp}'", "").Replace($" '{temp}'", "").Replace(temp, "").TrimEnd('.', ' ');

    /// <summary>Copies a file so that a full disk or a crash never leaves a truncated target.</summary>
    public static void Copy(string source, string path) =>
        Write(path, s =>
        {
            using var input = File.OpenRead(source);
            input.CopyTo(s);
        });

    public static void WriteAllText(string path, string text) =>
        Write(path, s =>
        {
            using var w = new StreamWriter(s, leaveOpen: true);
            w.Write(text);
        });
}

/// <summary>A file could not be written: the path as given and why, in the system's words (<paramref name="systemFailure"/>) or ours.</summary>
public sealed class OutputWriteException(string path, string reason, bool systemFailure = true) : IOException($"could not write '{path}': {reason}")
{
    public string Target { get; } = path;
    public string Reason { get; } = reason;
    /// <summary>The system refused (no folder, no permission, no space): worth saying what to check.</summary>
    public bool SystemFailure { get; } = systemFailure;
}
