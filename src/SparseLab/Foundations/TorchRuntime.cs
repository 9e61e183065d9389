// One place that brings libtorch up: thread count and device choice.
using TorchSharp;
using static TorchSharp.torch;

namespace SparseLab.Foundations;

public static class TorchRuntime
{
    /// <summary>Sets libtorch's intra-op threads (0 = all cores) and returns the count in use.</summary>
    public static int SetThreads(int threads)
    {
        NativeAllocator.KeepFreedMemory();
        int n = threads > 0 ? threads : Environment.ProcessorCount;
        torch.set_num_threads(n);
        return n;
    }

    /// <summary>Resolves "cpu", "cuda" or "auto" to a device; "cuda" without CUDA is an option error.</summary>
    public static Device ResolveDevice(string name) => name switch
    {
        "cpu" => CPU,
        "cuda" when torch.cuda.is_available() => CUDA,
        "cuda" => throw new InvalidOptionException("--device cuda: no CUDA device is available to this libtorch (the CPU build is installed); use --device cpu or auto"),
        "auto" => torch.cuda.is_available() ? CUDA : CPU,
        _ => throw new InvalidOptionException($"--device '{name}' is not known; use cpu, cuda or auto"),
    };

    public static string LibTorchVersion => "2.10.0";
    public static string TorchSharpVersion =>
        typeof(torch).Assembly.GetName().Version?.ToString() ?? "unknown";
}
