// A lock held through a file, for work two processes must not do at once in
// a shared folder: the Slurm tasks of one seed's curriculum arms scoring under
// the same warm-up would otherwise train it in one folder together. .NET takes
// an advisory flock for FileShare.None on Unix; the lock ends with the process,
// so a killed task never leaves it held.
namespace SparseLab.Foundations;

public sealed class ExclusiveFile : IDisposable
{
    private readonly FileStream _stream;

    private ExclusiveFile(FileStream stream) => _stream = stream;

    /// <summary>Waits until no other process holds <paramref name="path"/>, then holds it.</summary>
    public static ExclusiveFile Acquire(string path)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        while (true)
        {
            try
            {
                return new ExclusiveFile(new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None));
            }
            catch (IOException) when (File.Exists(path))
            {
                Thread.Sleep(200);   // another process holds it
            }
        }
    }

    public void Dispose() => _stream.Dispose();
}
