// What a run records about where it ran: package versions and the machine.
using System.Runtime.InteropServices;

namespace SparseLab.Foundations;

public sealed record RunEnvironment(
    string SparseLab, string TorchSharp, string LibTorch, string DotNet,
    string Os, string Cpu, int LogicalCores, int Threads, string Device, string Host, DateTimeOffset StartedUtc,
    string? OpenMpWait = null)
{
    public static RunEnvironment Capture(int threads, string device) => new(
        typeof(RunEnvironment).Assembly.GetName().Version?.ToString() ?? "unknown",
        TorchRuntime.TorchSharpVersion,
        TorchRuntime.LibTorchVersion,
        RuntimeInformation.FrameworkDescription,
        RuntimeInformation.OSDescription,
        CpuModel(),
        Environment.ProcessorCount,
        threads,
        device,
        Environment.MachineName,
        DateTimeOffset.UtcNow,
        OpenMpWaitPolicy.Applied);

    /// <summary>The CPU model from /proc/cpuinfo where there is one.</summary>
    public static string CpuModel()
    {
        try
        {
            var line = File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal));
            if (line is not null) return line[(line.IndexOf(':') + 1)..].Trim();
        }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
        return RuntimeInformation.ProcessArchitecture.ToString();
    }
}
