// Where SparseLab keeps what it measures or trains once per machine and
// reuses (kernel times, the Fréchet LeNet distance's classifier):
// $SPARSELAB_CACHE_DIR, else $XDG_CACHE_HOME/sparselab, else ~/.cache/sparselab.
namespace SparseLab.Foundations;

public static class CacheFolder
{
    /// <summary>The cache folder of this process's environment.</summary>
    public static string Default => Resolve(Environment.GetEnvironmentVariable, Environment.GetFolderPath(Environment.SpecialFolder.UserProfile));

    public static string Resolve(Func<string, string?> variable, string home) =>
        variable("SPARSELAB_CACHE_DIR") is { Length: > 0 } own ? own
        : variable("XDG_CACHE_HOME") is { Length: > 0 } xdg ? Path.Combine(xdg, "sparselab")
        : Path.Combine(home, ".cache", "sparselab");
}
