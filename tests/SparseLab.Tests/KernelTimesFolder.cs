// Runs and benchmarks on --kernels auto (the default) cache their layers'
// measured step times per machine (Training/Kernels/KernelTimeCache). The
// tests' go to a folder of their own, made when the test assembly loads and
// deleted when the process ends — never the user's ~/.cache/sparselab.
using System.Runtime.CompilerServices;

namespace SparseLab.Tests;

internal static class KernelTimesFolder
{
    public static string Path { get; private set; } = "";

#pragma warning disable CA2255   // a test assembly's own setup, before any test runs
    [ModuleInitializer]
#pragma warning restore CA2255
    internal static void Use()
    {
        Path = Directory.CreateTempSubdirectory("sparselab-test-cache-").FullName;
        Environment.SetEnvironmentVariable("SPARSELAB_CACHE_DIR", Path);
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            try { Directory.Delete(Path, recursive: true); } catch (IOException) { }
        };
    }
}
