// One place that brings libtorch up: thread count and device choice.
using TorchSharp;
using static TorchSharp.torch;

namespace SparseLab.Foundations;

public static class TorchRuntime
{
    /// <summary>The --device names.</summary>
    public static NameSet Names { get; } = new("cpu", "cuda", "auto");

    /// <summary>
    /// Sets libtorch's intra-op threads (0 = all cores) and returns the count in use. More threads than
    /// cores only make libtorch's spinning threads fight for them: the count is capped, with a warning.
    /// </summary>
    public static int SetThreads(int threads, Action<string>? warn = null)
    {
        NativeAllocator.KeepFreedMemory();
        int cores = Environment.ProcessorCount;
        if (threads > cores)
            warn?.Invoke($"warning: {threads} threads asked for, but this machine has {cores} cores; using {cores}");
        int n = threads > 0 ? Math.Min(threads, cores) : cores;
        torch.set_num_threads(n);
        return n;
    }

    /// <summary>Resolves "cpu", "cuda" or "auto" to a device; "cuda" without CUDA is an option error.</summary>
    public static Device ResolveDevice(string name) => name switch
    {
        "cpu" => CPU,
        "cuda" when torch.cuda.is_available() => CUDA,
        "cuda" => throw ConfigError.Of(nameof(RuntimeConfig.Device), "cuda: no CUDA device is available to this libtorch (the CPU build is installed); use cpu or auto"),
        "auto" => torch.cuda.is_available() ? CUDA : CPU,
        _ => throw ConfigError.Of(nameof(RuntimeConfig.Device), $"'{name}' is not known; use one of: {Names.Describe()}"),
    };

    public static string LibTorchVersion => "2.10.0";
    public static string TorchSharpVersion =>
        typeof(torch).Assembly.GetName().Version?.ToString() ?? "unknown";
}
