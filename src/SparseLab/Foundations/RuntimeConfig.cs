// Where a run executes: threads and device. Never hashed: they change how
// fast a run goes, not what it computes (for a given thread count).
namespace SparseLab.Foundations;

public sealed record RuntimeConfig : IConfigRecord
{
    [Option("CPU threads (0: all cores; more than the machine has are capped to its cores).")]
    public int Threads { get; init; }

    [Option("cpu, cuda or auto (cuda when this libtorch has a CUDA device).", OneOf = typeof(TorchRuntime))]
    public string Device { get; init; } = "cpu";

    public void Validate() => Check.NotNegative(Threads, nameof(Threads));
}
