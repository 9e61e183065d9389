// Writes files so that a crash leaves either the old file or the new one,
// never half of one: write a temporary file beside the target, then rename.
namespace SparseLab.Foundations;

public static class AtomicFile
{
    public static void Write(string path, Action<Stream> write)
    {
        string dir = Path.GetDirectoryName(Path.GetFullPath(path))!;
        Directory.CreateDirectory(dir);
        string temp = Path.Combine(dir, $".{Path.GetFileName(path)}.{Environment.ProcessId}.tmp");
        try
        {
            using (var stream = new FileStream(temp, FileMode.Create, FileAccess.Write, FileShare.None))
            {
                write(stream);
                stream.Flush(flushToDisk: true);
            }
            File.Move(temp, path, overwrite: true);
        }
        finally
        {
            if (File.Exists(temp)) File.Delete(temp);
        }
    }

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
