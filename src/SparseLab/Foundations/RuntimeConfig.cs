// Where and how a run executes: threads, device, and the kernels of its
// masked layers. Never hashed: they change how fast a run goes, not what it
// computes (for a given thread count; sparse and dense kernels agree to float
// rounding, which tests pin at 1e-4 after 200 steps).
namespace SparseLab.Foundations;

public sealed record RuntimeConfig : IConfigRecord
{
    [Option("CPU threads (0: all cores; more than the machine has are capped to its cores).")]
    public int Threads { get; init; }

    [Option("cpu, cuda or auto (cuda when this libtorch has a CUDA device).", OneOf = typeof(TorchRuntime))]
    public string Device { get; init; } = "cpu";

    [Option("How masked layers train: auto (each masked Linear and Conv2d layer that has a sparse kernel is timed on both kernels at the run's start, " +
        "under a second a layer, once per machine and shape (kernel-times.json in $SPARSELAB_CACHE_DIR, $XDG_CACHE_HOME/sparselab or ~/.cache/sparselab), and trains sparse " +
        "where its step is at least 5 % faster; a resumed run keeps the kernels it started with; the choice and times are printed and recorded in config.json), " +
        "dense (a dense product with the mask applied, as PyTorch sparse-training libraries do), sparse (CSR and sparse-convolution kernels forward and backward; " +
        "for a single run an error where a layer or schedule has none, in studies and imp every layer that has one).", OneOf = typeof(RuntimeConfig))]
    public string Kernels { get; init; } = "auto";

    /// <summary>The --kernels names.</summary>
    public static NameSet Names { get; } = new("auto", "dense", "sparse");

    public void Validate() => Check.NotNegative(Threads, nameof(Threads));
}
