// libtorch's OpenMP threads (GNU libgomp) spin for about 300,000 iterations
// after every parallel region before they sleep. Alone on the machine that
// is harmless; beside a second process, or beside SparseLab's own C# kernels
// (Parallel.For between two libtorch ops), the spinning threads hold the
// cores the other work needs: two LeNet-5 runs on 2 cores fell to 16 % of
// their solo throughput each, and a sparse layer's step took 2× its kernels'
// time. Measured (bench/RESULTS.md, "Runs side by side"): a spin count of 300
// keeps two concurrent runs at ≥ 40 % each and costs a solo run ≤ 3 %;
// OMP_WAIT_POLICY=PASSIVE (no spinning) cost the mlp 17 % solo. libgomp reads
// the variable once, when it loads, so it is set (with setenv: .NET's
// Environment does not reach the C environment) before libtorch is touched,
// and never over a value the user chose.
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace SparseLab.Foundations;

public static partial class OpenMpWaitPolicy
{
    public const string SpinCount = "300";

    /// <summary>What libgomp was told: the user's setting, or ours.</summary>
    public static string Applied { get; private set; } = "libgomp default";

    // A library module initializer on purpose: it must run before any code of this library can load libtorch.
    [ModuleInitializer]
    [System.Diagnostics.CodeAnalysis.SuppressMessage("Usage", "CA2255", Justification = "runs before libtorch loads; see the header")]
    internal static void Apply()
    {
        if (!OperatingSystem.IsLinux()) return;
        string? spin = Environment.GetEnvironmentVariable("GOMP_SPINCOUNT"), policy = Environment.GetEnvironmentVariable("OMP_WAIT_POLICY");
        if (spin is not null || policy is not null)
        {
            Applied = spin is not null ? $"GOMP_SPINCOUNT={spin} (user)" : $"OMP_WAIT_POLICY={policy} (user)";
            return;
        }
        try
        {
            if (setenv("GOMP_SPINCOUNT", SpinCount, 0) == 0) Applied = $"GOMP_SPINCOUNT={SpinCount}";
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            // No C library to tell: libgomp keeps its default.
        }
    }

    [LibraryImport("libc", EntryPoint = "setenv", StringMarshalling = StringMarshalling.Utf8)]
    private static partial int setenv(string name, string value, int overwrite);
}
