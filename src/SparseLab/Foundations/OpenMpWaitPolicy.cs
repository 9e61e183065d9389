// libtorch's OpenMP threads (GNU libgomp) spin after every parallel region
// before they sleep: GOMP_SPINCOUNT iterations, 300,000 by default. How long
// they should spin depends on who else wants the cores. Measured on a 2-core
// VM (bench/RESULTS.md, "Thread policy"; bench/thread-policy.sh; medians):
//  - alone, a short spin is slow: at 300, mlp, LeNet-5 and ResNet-20 trained
//    at 0.58, 0.75 and 0.83 of their speed at 30,000 (the threads fall asleep
//    between two ops and each op pays a futex wake-up). 30,000 was the
//    fastest dense setting (the default: 0.87, 0.94, 0.90 of it). The C#
//    sparse kernels, which run between libtorch's ops beside those spinning
//    threads, liked 3,000 best (ResNet-20 at 95 %: 571 images/s, 489 at
//    30,000, 445 at the default), where dense training lost 10–20 %;
//  - two runs that both spin on the same cores fell to 1–25 % of their solo
//    speed each (30,000 and the default alike); two at 300 kept 50–100 %; one
//    spinning beside one at 300 kept about half each.
// So a process that starts on free cores spins 30,000; one that starts where
// another SparseLab process or other work already uses its cores (CoreShare)
// spins 300, and of two runs started together the later one sees the
// earlier. libgomp reads the variable once, when it loads, so it is set (with
// setenv: .NET's Environment does not reach the C environment) before
// libtorch is touched, and never over a value the user chose.
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace SparseLab.Foundations;

public static partial class OpenMpWaitPolicy
{
    public const string SoloSpinCount = "30000";
    public const string SharedSpinCount = "300";

    /// <summary>What libgomp was told and why: the user's setting, or ours.</summary>
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
        string? shared = CoreShare.Check();
        string value = shared is null ? SoloSpinCount : SharedSpinCount;
        try
        {
            if (setenv("GOMP_SPINCOUNT", value, 0) == 0) Applied = $"GOMP_SPINCOUNT={value} ({shared ?? "cores free at start"})";
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            // No C library to tell: libgomp keeps its default.
        }
    }

    [LibraryImport("libc", EntryPoint = "setenv", StringMarshalling = StringMarshalling.Utf8)]
    private static partial int setenv(string name, string value, int overwrite);
}
