// A test that submits real Slurm jobs: skipped, with the reason, where no
// cluster answers (sinfo), except where SPARSELAB_REQUIRE_SLURM=1 (CI, whose
// .ci/run starts a one-node cluster): there a missing cluster fails the test.
using SparseLab.Studies.Execution;

namespace SparseLab.Tests.Studies.Execution;

public sealed class SlurmFactAttribute : FactAttribute
{
    public SlurmFactAttribute()
    {
        if (!SlurmCluster.Required && !SlurmCluster.Reachable)
            Skip = "no Slurm cluster answers here (sinfo); scripts/local-slurm.sh starts a one-node one";
    }
}

internal static class SlurmCluster
{
    private static readonly Lazy<bool> Answer = new(SlurmClient.Reachable);
    public static bool Reachable => Answer.Value;
    public static bool Required => Environment.GetEnvironmentVariable("SPARSELAB_REQUIRE_SLURM") == "1";

    /// <summary>Fails the test where the cluster is required but missing.</summary>
    public static void Require() =>
        Assert.True(Reachable, "SPARSELAB_REQUIRE_SLURM=1 but no Slurm cluster answers (sinfo); .ci/run starts one with scripts/local-slurm.sh");
}
