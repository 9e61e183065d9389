// The measured step times of `--kernels auto`, kept per machine so a layer
// shape is timed once, not at every run: kernel-times.json in
// $SPARSELAB_CACHE_DIR, else $XDG_CACHE_HOME/sparselab, else
// ~/.cache/sparselab. One object per machine key (KernelMachine), one entry per
// case (KernelCase). A new entry is written under a lock file
// (ExclusiveFile): re-read, merged, replaced atomically (AtomicFile), so two
// runs measuring at once keep both their entries. A file that does not read
// (cut short, edited by hand) is ignored with one warning and rewritten; a
// cache that cannot be written costs a warning and a measurement next time,
// never the run.
using System.Text.Json;
using SparseLab.Foundations;

namespace SparseLab.Training.Kernels;

public sealed class KernelTimeCache(string path, Action<string> warn)
{
    public const string FileName = "kernel-times.json";

    private Dictionary<string, Dictionary<string, StepTimes>>? _machines;
    private bool _warned;

    public string Path { get; } = System.IO.Path.GetFullPath(path);

    /// <summary>The cache under $SPARSELAB_CACHE_DIR, $XDG_CACHE_HOME/sparselab or ~/.cache/sparselab.</summary>
    public static KernelTimeCache Default(Action<string> warn) => new(DefaultPath(Environment.GetEnvironmentVariable,
        Environment.GetFolderPath(Environment.SpecialFolder.UserProfile)), warn);

    public static string DefaultPath(Func<string, string?> variable, string home) =>
        System.IO.Path.Combine(CacheFolder.Resolve(variable, home), FileName);

    /// <summary>The times recorded for <paramref name="c"/> on <paramref name="machine"/>, or null.</summary>
    public StepTimes? Find(KernelMachine machine, KernelCase c)
    {
        _machines ??= Read();
        return _machines.GetValueOrDefault(machine.Key)?.GetValueOrDefault(c.Key);
    }

    /// <summary>Records <paramref name="times"/> beside what other processes recorded meanwhile.</summary>
    public void Add(KernelMachine machine, KernelCase c, StepTimes times)
    {
        try
        {
            using var gate = ExclusiveFile.Acquire(Path + ".lock");
            var machines = Read();
            if (!machines.TryGetValue(machine.Key, out var cases)) machines[machine.Key] = cases = [];
            cases[c.Key] = times;
            AtomicFile.WriteAllText(Path, Json.Serialize(new CacheFile(machines)));
            _machines = machines;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            _machines ??= [];
            if (!_machines.TryGetValue(machine.Key, out var cases)) _machines[machine.Key] = cases = [];
            cases[c.Key] = times;   // still found for the rest of this run
            Warn($"could not write the kernel-times cache '{Path}' ({e.Message}); the layers are timed again next run (set SPARSELAB_CACHE_DIR to a writable folder)");
        }
    }

    private Dictionary<string, Dictionary<string, StepTimes>> Read()
    {
        if (!File.Exists(Path)) return [];
        try
        {
            var file = Json.Deserialize<CacheFile>(File.ReadAllText(Path));
            return (file.Machines ?? []).Where(m => m.Value is not null).ToDictionary(
                m => m.Key, m => m.Value.Where(c => c.Value is { DenseMs: > 0, SparseMs: > 0 }).ToDictionary(c => c.Key, c => c.Value));
        }
        catch (Exception e) when (e is JsonException or IOException or UnauthorizedAccessException or NotSupportedException)
        {
            Warn($"ignoring the kernel-times cache '{Path}': it does not read ({e.Message}); it is rewritten with the times measured now");
            return [];
        }
    }

    private void Warn(string message)
    {
        if (_warned) return;
        _warned = true;
        warn($"warning: {message}");
    }

    private sealed record CacheFile(Dictionary<string, Dictionary<string, StepTimes>>? Machines);
}
